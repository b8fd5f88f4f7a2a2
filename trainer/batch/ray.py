"""`callcoach batch --ray`: the same batch on Ray actors, each holding one loaded model.

The driver stays where it is (reading files, writing the results, storing calls); only
the analysis moves. Each actor is a :class:`trainer.batch.work.BatchWorker`: it loads the Whisper
model once when it starts and then analyses the recordings sent to it as bytes, so the
worker nodes need the same code, virtual environment and models, but not the audio. An
actor that dies is restarted once by Ray and the recording retried; a recording that
kills it again gets an error line.

`--ray` starts a private Ray instance on this machine (``ray.init(address="local")``) and
stops it at the end; `--ray ADDRESS` joins a running cluster (``HEAD:6379``, or ``auto``
for one started on this machine with `ray start --head`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from trainer.batch.work import BatchWorker, Outcome, Work, WorkerOptions, worker_died
from trainer.errors import CallcoachError, Err

LOCAL = "local"
CPUS_PER_ACTOR = 2  # with no --jobs on CPU: enough for one call, memory for many actors


@dataclass(frozen=True)
class ActorPlan:
    """How many actors, and what each one asks Ray for."""

    actors: int
    cpus: float
    gpus: float

    @property
    def threads(self) -> int:
        """Threads each actor's model may use."""
        return max(1, int(self.cpus))


def plan_actors(
    cpus: float, gpus: float, *, largest_node_cpus: float, jobs: int | None, use_gpu: bool
) -> ActorPlan:
    """Actors for the cluster: --jobs of them, or one per GPU, or one per 2 CPUs.

    The CPUs are shared evenly (an actor cannot span nodes, so at most a node's worth);
    on GPU each actor asks for one GPU, or a share of one when --jobs asks for more
    actors than there are GPUs.
    """
    if use_gpu:
        actors = jobs or max(1, int(gpus))
        gpu_share = min(1.0, gpus / actors)
    else:
        actors = jobs or max(1, int(cpus) // CPUS_PER_ACTOR)
        gpu_share = 0.0
    cpu_share = cpus / actors if actors > cpus else float(int(cpus) // actors)
    return ActorPlan(actors, min(cpu_share, largest_node_cpus), gpu_share)


def connect(address: str) -> bool:
    """Start local Ray or join the cluster; True when this call started the connection."""
    import ray

    if ray.is_initialized():
        return False
    local = address == LOCAL
    try:
        ray.init(
            address=address,
            num_cpus=len(os.sched_getaffinity(0)) if local else None,
            include_dashboard=False if local else None,
            log_to_driver=False,  # keep the progress bar readable; failures come back as lines
            logging_level=logging.WARNING,
        )
    except (ConnectionError, TimeoutError, RuntimeError, ValueError) as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise CallcoachError(Err.RAY_UNREACHABLE, address=address, reason=reason) from None
    return True


def _largest_node_cpus() -> float:
    import ray

    alive = [node for node in ray.nodes() if node.get("Alive")]  # type: ignore[no-untyped-call]
    return max((node["Resources"].get("CPU", 0.0) for node in alive), default=1.0)


class RayRunner:
    """Runs the batch's works on an actor pool of a Ray cluster (or local Ray)."""

    def __init__(self, options: WorkerOptions, *, address: str = LOCAL, jobs: int | None) -> None:
        self.options = options
        self.address = address
        self.jobs = jobs
        self.workers = jobs or 0  # known for sure once connected

    def run(self, works: Iterator[Work]) -> Iterator[tuple[Work, Outcome]]:
        """Outcomes in the order they finish; Ray is left (or stopped) at the end."""
        import ray

        started_here = connect(self.address)
        try:
            yield from self._run_on_pool(works)
        finally:
            if started_here:
                ray.shutdown()

    def _plan(self) -> ActorPlan:
        import ray

        resources = ray.cluster_resources()  # type: ignore[no-untyped-call]
        gpus = resources.get("GPU", 0.0)
        device = self.options.settings.asr_device
        use_gpu = device == "cuda" or (device == "auto" and gpus > 0)
        if use_gpu and gpus == 0:
            raise CallcoachError(Err.RAY_NO_GPU, address=self.address)
        return plan_actors(
            resources.get("CPU", 1.0),
            gpus,
            largest_node_cpus=_largest_node_cpus(),
            jobs=self.jobs,
            use_gpu=use_gpu,
        )

    def _actor_options(self, plan: ActorPlan) -> WorkerOptions:
        """Options with absolute paths: an actor's working folder is not the driver's."""
        current = self.options.settings
        folders = {"models_dir": current.models_dir, "data_dir": current.data_dir}
        settings = current.model_copy(
            update={name: folder.resolve() for name, folder in folders.items()}
        )
        return replace(self.options, settings=settings, threads=plan.threads)

    def _run_on_pool(self, works: Iterator[Work]) -> Iterator[tuple[Work, Outcome]]:
        import ray

        plan = self._plan()
        self.workers = plan.actors
        remote_worker = ray.remote(BatchWorker).options(
            num_cpus=plan.cpus, num_gpus=plan.gpus, max_restarts=1, max_task_retries=1
        )
        options = self._actor_options(plan)
        idle: list[Any] = [remote_worker.remote(options) for _ in range(plan.actors)]
        in_flight: dict[Any, tuple[Any, Work]] = {}
        while True:
            while idle and (work := next(works, None)) is not None:
                actor = idle.pop()
                in_flight[actor.analyse.remote(work)] = (actor, work)
            if not in_flight:
                return  # the actors end with their last handle
            [ready], _ = ray.wait(list(in_flight), num_returns=1)
            actor, work = in_flight.pop(ready)
            try:
                outcome = ray.get(ready)
            except ray.exceptions.RayActorError:  # it died twice: give the file up, new actor
                outcome, actor = worker_died(work), remote_worker.remote(options)
            idle.append(actor)
            yield work, outcome
