"""Exit 0 when every URL's host:port accepts a TCP connection (used by the Makefile)."""

import socket
import sys
from urllib.parse import urlsplit

DEFAULT_PORTS = {"postgres": 5432, "postgresql": 5432, "redis": 6379}


def main(urls: list[str]) -> int:
    for url in urls:
        parts = urlsplit(url)
        address = (parts.hostname or "127.0.0.1", parts.port or DEFAULT_PORTS.get(parts.scheme, 0))
        try:
            socket.create_connection(address, timeout=3).close()
        except OSError as exc:
            print(f"{url}: unreachable ({exc})", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
