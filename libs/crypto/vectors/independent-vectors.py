#!/usr/bin/env python3
"""Recomputes the Haven-specific test vectors without libs/crypto or libsodium.

Run from the repository root:  python3 libs/crypto/vectors/independent-vectors.py

BLAKE2b comes from Python's hashlib, X25519 from the `cryptography` package, and Argon2id from
the reference C implementation bundled in the npm `argon2` package (called through node).
libsodium's crypto_kdf_derive_from_key(len, id, ctx, key) is BLAKE2b(key=key, msg="",
salt=LE64(id) || 0^8, personal=ctx || 0^8, outlen=len). The values printed here are the
expected values in the *.spec.ts files that cite this script.
"""
import hashlib
import struct
import subprocess

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey


def lp(*fields: bytes) -> bytes:
    return b"".join(struct.pack(">I", len(f)) + f for f in fields)


def kdf(length: int, subkey_id: int, ctx: str, key: bytes) -> bytes:
    return hashlib.blake2b(
        b"", digest_size=length, key=key,
        salt=struct.pack("<Q", subkey_id) + b"\0" * 8, person=ctx.encode() + b"\0" * 8,
    ).digest()


def argon2id(password: str, salt: bytes, t: int, m_kib: int) -> bytes:
    script = (
        "const a=require('argon2');"
        f"a.hash({password!r},{{type:a.argon2id,raw:true,timeCost:{t},memoryCost:{m_kib},"
        f"parallelism:1,hashLength:32,salt:Buffer.from('{salt.hex()}','hex')}})"
        ".then(h=>console.log(h.toString('hex')))"
    )
    return bytes.fromhex(subprocess.check_output(["node", "-e", script], text=True).strip())


# kdf.spec.ts: login salt and keys at the floor (t=3, m=64 MiB)
seed = bytes([7]) * 32
salt = hashlib.blake2b(lp(b"haven/login-salt/v1", b"anna"), digest_size=16, key=seed).digest()
pw = argon2id("correct horse battery staple", salt, 3, 65536)
print("login salt ", salt.hex())
print("authKey    ", kdf(32, 1, "hvnauth1", pw).hex())
print("kek        ", kdf(32, 2, "hvnkek01", pw).hex())

# kat.spec.ts: Argon2id at the floor with a fixed salt
print("argon2id   ", argon2id("correct horse battery staple", b"haven-kat-salt16", 3, 65536).hex())

# certs.spec.ts: fingerprint of sign pk = 32 x 0x01, box pk = 32 x 0x02
d = hashlib.blake2b(lp(b"haven/fingerprint/v1", bytes([1]) * 32, bytes([2]) * 32), digest_size=30).digest()
print("fingerprint", " ".join("%05d" % (int.from_bytes(d[i * 5:i * 5 + 5], "big") % 100000) for i in range(6)))

# blind-index.spec.ts: index key = 32 x 0x11
k = bytes([0x11]) * 32
for kind, value in ((b"phone", b"+79261234567"), (b"handle", b"anna_k")):
    digest = hashlib.blake2b(lp(b"haven/blind-index/v1", kind, value), digest_size=32, key=k).digest()
    print("blind index", kind.decode(), digest[:2].hex())

# audit.spec.ts: first event of a chain
event = (b'{"action":"login","actor":"u-1","day":"2026-01-02","outcome":"ok",'
         b'"role":"caseworker","seq":1,"target":null}')
print("audit hash ", hashlib.blake2b(bytes(32) + event, digest_size=32).hexdigest())

# intake.spec.ts: receipt code -> lookup id and reply public key
# (crypto_box_seed_keypair: sk = SHA-512(seed)[0:32], pk = X25519(sk, 9))
root = hashlib.blake2b(lp(b"haven/receipt/v1", b"abacus zoom yo-yo drop-down zebra acid"), digest_size=32).digest()
reply_sk = hashlib.sha512(kdf(32, 2, "hvnrply1", root)).digest()[:32]
reply_pk = X25519PrivateKey.from_private_bytes(reply_sk).public_key().public_bytes(
    serialization.Encoding.Raw, serialization.PublicFormat.Raw)
print("lookup id  ", kdf(16, 1, "hvnlook1", root).hex())
print("reply pk   ", reply_pk.hex())
