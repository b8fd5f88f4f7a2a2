"""Practice calls: start, answer (voice or text), retry, resume, abandon, score.

Nothing is lost: an answer's audio is stored (content-addressed) and linked to its turn in a
committed transaction before transcription starts; a kill before that commit leaves a note
(see `recording_store.note_answer`) from which the turn is made again when the call is
reopened. A transcript is committed together with the customer's reaction to it, so a kill
never leaves an answer without its reply. An answer says which turn it is for, so one sent
twice (a double-click) is received once.

The call's state is what is stored: each customer line records the node and patience the
call stands at after it, so an answer is one simulator step from there. An answer reads the
call once (checks first, nothing stored before they pass), and its text and the customer's
reply are committed in one transaction; transcription runs outside any transaction.

One module per use case: start (the picker, opening and abandoning a call, warming up),
answer (typed and spoken answers, retries, resuming), step (the customer's reaction and
the score), call (the stored call and its view for the page). Callers use
`from trainer.services import practice` and the names re-exported here.
"""

from trainer.services.practice.answer import (
    answer_with_audio,
    answer_with_text,
    current_practice,
    retry_transcription,
)
from trainer.services.practice.call import CallView, TurnView, get_call
from trainer.services.practice.start import (
    ScenarioCard,
    abandon_practice,
    list_scenarios,
    prerender_voices,
    start_practice,
    warm_up,
)

__all__ = [
    "CallView",
    "ScenarioCard",
    "TurnView",
    "abandon_practice",
    "answer_with_audio",
    "answer_with_text",
    "current_practice",
    "get_call",
    "list_scenarios",
    "prerender_voices",
    "retry_transcription",
    "start_practice",
    "warm_up",
]
