# caught-by: STORE-RACE
# run-with: --replicas 2 --filter STORE-*
"""Checks with GET, then records with SET: two replicas given the same envelope at once both
see the key missing, and both accept it."""
from _zoo_store import serve, sipc_store


def check_then_record(self, key, expires_at):
    try:
        if self.redis.command("GET", key) is not None:
            return sipc_store.EXISTS
        self.redis.command("SET", key, "1", "EXAT", expires_at)
    except sipc_store.StoreError:
        return sipc_store.UNAVAILABLE
    return sipc_store.RECORDED


sipc_store.Store.check_and_record = check_then_record
serve()
