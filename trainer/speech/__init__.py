"""Audio in and out: decoding, transcription, speakers, voices, one call's analysis. No database."""
