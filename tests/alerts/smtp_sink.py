"""A local SMTP server (aiosmtpd) that accepts every message: for the integration test and the alerts benchmark.

aiosmtpd needs the package atpublic, whose import name is ``public``, the name of this project's app. So
aiosmtpd is imported here with atpublic standing in for ``public`` during that import only; afterwards
``public`` is the app again (aiosmtpd only uses atpublic while its modules load).
"""

import contextlib
import importlib.metadata
import importlib.util
import logging
import pathlib
import socket
import sys


def controller_class():
    if "aiosmtpd.controller" in sys.modules:
        return sys.modules["aiosmtpd.controller"].Controller
    location = pathlib.Path(importlib.metadata.distribution("atpublic").locate_file("public/__init__.py"))
    spec = importlib.util.spec_from_file_location("public", location, submodule_search_locations=[str(location.parent)])
    ours = {name: module for name, module in sys.modules.items() if name == "public" or name.startswith("public.")}
    for name in ours:
        del sys.modules[name]
    try:
        atpublic = importlib.util.module_from_spec(spec)
        sys.modules["public"] = atpublic
        spec.loader.exec_module(atpublic)
        from aiosmtpd.controller import Controller
    finally:
        for name in [name for name in sys.modules if name == "public" or name.startswith("public.")]:
            del sys.modules[name]
        sys.modules.update(ours)
    return Controller


class Sink:
    """Keeps every message (``keep``) or only counts them, with the client's address and port, which tell
    the connections apart."""

    def __init__(self, keep=True):
        self.keep = keep
        self.received = []
        self.count = 0
        self.peers = set()

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        self.peers.add(session.peer)
        if self.keep:
            self.received.append({"peer": session.peer, "from": envelope.mail_from, "to": list(envelope.rcpt_tos), "data": envelope.content})
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running(keep=True):
    """(sink, port) of an SMTP server on 127.0.0.1 for the duration of the block."""
    sink = Sink(keep=keep)
    controller = controller_class()(sink, hostname="127.0.0.1", port=free_port())
    log = logging.getLogger("mail.log")  # aiosmtpd logs every command, addresses included, at INFO
    level = log.level
    log.setLevel(logging.WARNING)
    controller.start()
    try:
        yield sink, controller.port
    finally:
        controller.stop()
        log.setLevel(level)
