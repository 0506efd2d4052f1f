"""Running notebooks in a real kernel for the tests, without two known stalls of the tools.

- A cell that displays an ipywidget can leave nbclient's wait for the execute reply asleep until
  its timeout, although the reply has arrived (nbclient issue 312: measured here, 2 runs in 45 of
  a two-widget notebook sat for the whole timeout, then went on without error). The client
  below waits for replies in one-second slices, so a missed wake-up costs at most a second.
- Kernels started at once on TCP ports can race for a port ("Address already in use", then
  "Kernel died before replying to kernel_info"): these kernels talk over IPC sockets instead.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from queue import Empty

from nbclient import NotebookClient
from traitlets.config import Config

__all__ = ["SteadyClient", "ipc_config"]

SLICE = 1.0


def ipc_config(folder: Path) -> Config:
    """Kernel sockets as files in ``folder`` (an absolute path: the kernel and the client may
    run in different folders)."""
    return Config({"KernelManager": {"transport": "ipc", "ip": str(folder / "k")}})


class SteadyClient(NotebookClient):
    """nbclient's NotebookClient on an IPC kernel, waiting for replies in short slices."""

    def __init__(self, nb, **kwargs):
        kwargs.setdefault("kernel_name", "python3")
        self._sockets = Path(tempfile.mkdtemp(prefix="kernel-"))
        # nbclient makes the kernel manager from this config, so it owns it and shuts it down
        super().__init__(nb, config=ipc_config(self._sockets), **kwargs)

    def execute(self, **kwargs):
        try:
            return super().execute(**kwargs)
        finally:
            shutil.rmtree(self._sockets, ignore_errors=True)

    async def async_start_new_kernel_client(self):
        client = await super().async_start_new_kernel_client()
        shell = client.shell_channel
        whole = shell.get_msg

        async def get_msg(timeout: float | None = None):
            deadline = None if timeout is None else time.monotonic() + timeout
            while True:
                left = None if deadline is None else deadline - time.monotonic()
                try:
                    return await whole(
                        timeout=SLICE if left is None else max(0.0, min(SLICE, left))
                    )
                except Empty:
                    if left is not None and left <= SLICE:
                        raise

        shell.get_msg = get_msg
        return client
