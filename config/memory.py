"""
Bounded memories kept in one process, for answers that cost a round trip or real CPU to find
again and that one process may safely reuse for a while: a token whose signature it verified, a
callback host it found public. Never for what every process must see change at once (a revoked
API key, a switched-off person): those are copies in the shared cache, dropped on every change.
"""

import threading


class Memory:
    """A dictionary of at most ``size`` entries: first kept, first forgotten. Thread-safe."""

    def __init__(self, size):
        self.size = size
        self._items = {}
        self._lock = threading.Lock()

    def get(self, key):
        return self._items.get(key)

    def keep(self, key, value):
        with self._lock:
            self._items.pop(key, None)  # kept again: newest again
            self._items[key] = value
            while len(self._items) > self.size:
                del self._items[next(iter(self._items))]

    def __iter__(self):
        return iter(list(self._items))
