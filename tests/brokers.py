"""Point the app's Celery publisher at a given broker during a test: a real one, a dead one, kombu's memory one."""

from __future__ import annotations

import json
import socket
from contextlib import closing

from kombu import pools as kombu_pools

from config.celery import app as celery_app


def closed_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens there once the socket is closed


class Broker:
    """Point the app's publisher at a broker URL (and back), with eager execution off."""

    def __init__(self):
        self.saved = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)

    def use(self, url: str) -> None:
        celery_app.conf.broker_url = url
        celery_app.conf.task_always_eager = False
        self._reset_pools()
        if url.startswith("memory://"):
            self.drain()  # kombu's memory broker is one per process: what earlier tests left is not ours

    def restore(self) -> None:
        celery_app.conf.broker_url, celery_app.conf.task_always_eager = self.saved
        self._reset_pools()

    @staticmethod
    def _reset_pools() -> None:
        # The app's connection pool, and kombu's global producer pools keyed by connection.
        if celery_app._pool is not None:
            celery_app._pool.force_close_all()
            celery_app._pool = None
        celery_app.amqp._producer_pool = None
        kombu_pools.reset()

    def drain(self) -> list[tuple[str, list]]:
        """Take every waiting message off the queue: (task name, its first argument) in order."""
        messages = []
        with celery_app.connection_for_write() as conn:
            queue = conn.SimpleQueue(celery_app.conf.task_default_queue, no_ack=True)
            while True:
                try:
                    message = queue.get(block=False)
                except queue.Empty:
                    break
                body = message.decode() if isinstance(message.payload, bytes | str) else message.payload
                args = body[0] if isinstance(body, list | tuple) else json.loads(body)[0]
                messages.append((message.headers["task"], args[0]))
            queue.close()
        return messages
