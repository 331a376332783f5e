# caught-by: STORE-KEY
# run-with: --replicas 2 --filter STORE-*
"""Records with SET NX but no expiry: every nonce stays in the store for ever, which grows
until Redis (noeviction) refuses every write and every replica refuses every envelope."""
from _zoo_store import serve, sipc_store


def set_without_expiry(self, key, expires_at):
    try:
        reply = self.redis.command("SET", key, "1", "NX")
    except sipc_store.StoreError:
        return sipc_store.UNAVAILABLE
    return sipc_store.RECORDED if reply == "OK" else sipc_store.EXISTS


sipc_store.Store.check_and_record = set_without_expiry
serve()
