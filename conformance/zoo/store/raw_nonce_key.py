# caught-by: STORE-KEY
# run-with: --replicas 2 --filter STORE-*
"""Uses the nonce itself as the store key: anyone who reads the store (its operators, its
backups) sees the traffic's nonces, and keys of different receivers collide."""
from _zoo_store import serve, sipc_store

sipc_store.store_key = lambda secret, nonce: sipc_store.KEY_PREFIX + nonce
serve()
