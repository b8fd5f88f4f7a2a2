"""Real calls: recordings uploaded for a trainee, scored by `callcoach worker`, reviewed.

An upload is checked whole before anything is stored (size while it is streamed to a
temporary file, then a decode that keeps no samples: format and length); one bad file
refuses the upload and nothing is kept. Each good file is then
stored (content-addressed) together with a pending real-call attempt for the trainee and
a job, in one transaction; the worker transcribes and scores it (see trainer/worker.py).

The same file is processed once per processing key (its SHA-256, the engine, the model and
the rubric version). Uploading it again adds no second call: the upload answers "already
uploaded" and links the call it became (a failed one is queued again). After a change of
model or rubric the key is new, and the file is scored again as a call of its own.

The same file is one call per trainee: the processing key names the trainee too, so an
upload never finds, links or re-queues another trainee's call, nor says who sent it.

Who may upload for whom, and who may correct who spoke in a turn (which rescores the call:
a new score, the earlier one kept), is the access policy's (``services/access.py``): a
trainee uploads for themself but never relabels their own call; a team lead works on their
team's; trainers and admins on anyone's.

One module per use case: uploads, call_list (the Real calls page), scoring_jobs (the
worker's side), recorded (calls analysed by `callcoach batch`), corrections (the review
page). Callers use `from trainer.services import calls` and the names re-exported here.
"""

from trainer.services.calls.call_list import CallJobView, list_call_jobs, retry_job
from trainer.services.calls.common import JOB_KIND, summary
from trainer.services.calls.corrections import (
    RealCallView,
    RealTurn,
    real_call,
    set_turn_speaker,
)
from trainer.services.calls.recorded import RecordedCall, record_analysis
from trainer.services.calls.scoring_jobs import (
    ClaimedJob,
    analyse,
    analyse_claimed,
    claim_call_job,
    complete_call_job,
    extend_lease,
    fail_call_job,
)
from trainer.services.calls.uploads import (
    ALREADY_UPLOADED,
    QUEUED,
    QUEUED_AGAIN,
    UPLOAD_SLOTS,
    FileRefusedError,
    Upload,
    UploadResult,
    UploadSlots,
    UploadTarget,
    upload_calls,
    upload_targets,
)

__all__ = [
    "ALREADY_UPLOADED",
    "JOB_KIND",
    "QUEUED",
    "QUEUED_AGAIN",
    "UPLOAD_SLOTS",
    "CallJobView",
    "ClaimedJob",
    "FileRefusedError",
    "RealCallView",
    "RealTurn",
    "RecordedCall",
    "Upload",
    "UploadResult",
    "UploadSlots",
    "UploadTarget",
    "analyse",
    "analyse_claimed",
    "claim_call_job",
    "complete_call_job",
    "extend_lease",
    "fail_call_job",
    "list_call_jobs",
    "real_call",
    "record_analysis",
    "retry_job",
    "set_turn_speaker",
    "summary",
    "upload_calls",
    "upload_targets",
]
