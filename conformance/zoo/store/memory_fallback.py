# caught-by: STORE-DOWN, STORE-FULL
# run-with: --replicas 2 --filter STORE-*
"""When the store does not answer, falls back to the replica's own replay cache, so that
"service stays up": every replica accepts what the store would have refused."""
from _zoo_store import serve, sipc1, sipc_server, sipc_store

original = sipc_server.Receiver.record


def record_or_remember(self, message):
    verdict = original(self, message)
    if verdict.get("error") != "replay_store_unavailable":
        return verdict
    with self.lock:
        try:
            self.verifier.check_replay(message["nonce"])
        except sipc1.Reject as r:
            return {"verdict": "reject", "error": r.code}
        self.verifier.remember(message["nonce"], message["ts"] + self.config.ttl)
    return sipc_server.accepted(message)


sipc_server.Receiver.record = record_or_remember
serve()
