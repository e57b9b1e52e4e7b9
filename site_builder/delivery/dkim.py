"""DKIM signing (RFC 6376, RFC 8463) over a fixed header set, with keys loaded once.

Relaxed header and simple body canonicalization: the composer emits every header itself, so the
canonical form of the static headers is computed once per issue and only the per-recipient ones
(To, Date, Message-ID, List-Unsubscribe) are canonicalised per message. RSA and Ed25519 signing
run in OpenSSL through `cryptography`, which releases the GIL, so several sender threads sign at once.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa

from ..errors import ConfigError

_WSP = re.compile(rb"[ \t]+")

# From is listed twice ("oversigning"): a second From added on the way then breaks the signature.
SIGNED_HEADERS = (
    "from", "from", "to", "subject", "date", "message-id", "reply-to", "list-id", "list-unsubscribe",
    "list-unsubscribe-post", "feedback-id", "mime-version", "content-type",
)


def relaxed_header(name: bytes, value: bytes) -> bytes:
    """Return one header in relaxed canonical form (RFC 6376 3.4.2), with its CRLF."""
    value = _WSP.sub(b" ", value.replace(b"\r\n", b"")).strip(b" \t")
    return name.lower() + b":" + value + b"\r\n"


@dataclass(frozen=True)
class DkimKey:
    """A private key with the domain and selector it signs for."""

    domain: str
    selector: str
    algorithm: str  # rsa-sha256 | ed25519-sha256
    private_key: object
    source: str = ""  # where the key came from (a path), never the key itself

    def __repr__(self) -> str:
        return f"DkimKey({self.algorithm}, d={self.domain}, s={self.selector}, from {self.source or 'memory'})"

    def sign(self, data: bytes) -> bytes:
        """Return the raw signature of data (the canonical headers) for this key's algorithm."""
        if self.algorithm == "rsa-sha256":
            return self.private_key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        # RFC 8463: Ed25519 signs the SHA-256 digest of the canonical data
        return self.private_key.sign(hashlib.sha256(data).digest())

    def dns_record(self) -> str:
        """Return the TXT record to publish at <selector>._domainkey.<domain>."""
        public = self.private_key.public_key()
        if self.algorithm == "rsa-sha256":
            der = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
            return "v=DKIM1; k=rsa; p=" + base64.b64encode(der).decode()
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return "v=DKIM1; k=ed25519; p=" + base64.b64encode(raw).decode()


def key_from_pem(pem: bytes, domain: str, selector: str, source: str = "") -> DkimKey:
    """Return a DkimKey from a PEM private key (RSA of at least 1024 bits, or Ed25519)."""
    where = source or "DKIM key"
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{where}: 암호 없는 PEM 개인 키가 아닙니다 ({exc.__class__.__name__})") from None
    if isinstance(key, rsa.RSAPrivateKey):
        if key.key_size < 1024:
            raise ConfigError(f"{where}: RSA 키가 {key.key_size}비트입니다 — Gmail은 1024비트 이상을 요구합니다 (2048 권장)")
        return DkimKey(domain, selector, "rsa-sha256", key, source)
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return DkimKey(domain, selector, "ed25519-sha256", key, source)
    raise ConfigError(f"{where}: 쓸 수 없는 키 종류 {type(key).__name__} — RSA나 Ed25519 키를 쓰세요")


def load_key(path: Path | str, domain: str, selector: str, *, repo_root: Path | None = None) -> DkimKey:
    """Read a PEM key file; refuse one inside the repository (keys never go into git)."""
    path = Path(path).expanduser().resolve()
    if repo_root is not None:
        root = Path(repo_root).resolve()
        if path == root or root in path.parents:
            raise ConfigError(f"DKIM 키 {path}: 프로젝트 폴더 안에 있습니다 — 저장소 밖(예: /etc/site-builder/)으로 "
                              f"옮기고 key_file 이나 SITE_BUILDER_DKIM_KEY_FILE 이 그곳을 가리키게 하세요")
    if not domain or not selector:
        raise ConfigError(f"DKIM 키 {path}: domain과 selector를 모두 쓰세요")
    try:
        pem = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"DKIM 키 {path}: 읽을 수 없습니다 ({exc.strerror})") from None
    return key_from_pem(pem, domain, selector, str(path))


class Signer:
    """Signs composed messages with one or more keys (e.g. RSA and Ed25519 side by side)."""

    def __init__(self, keys: list[DkimKey] | tuple[DkimKey, ...]):
        self.keys = tuple(keys)
        self.h_tag = ":".join(SIGNED_HEADERS).encode()

    def __bool__(self) -> bool:
        return bool(self.keys)

    def signature_headers(self, canonical_headers: bytes, body: bytes | list[bytes], timestamp: int) -> bytes:
        """Return the DKIM-Signature header lines (folded, CRLF) for a message whose signed headers,
        already in relaxed canonical form and in SIGNED_HEADERS order, are canonical_headers, and
        whose body (c=simple: as sent, ending in CRLF) is body or the pieces it is joined from."""
        if isinstance(body, (bytes, bytearray, memoryview)):
            body = [body]
        digest = hashlib.sha256()
        for piece in body:
            digest.update(piece)
        bh = base64.b64encode(digest.digest())
        out = []
        for key in self.keys:
            tags = (b"v=1; a=" + key.algorithm.encode() + b"; c=relaxed/simple; d=" + key.domain.encode()
                    + b"; s=" + key.selector.encode() + b"; t=" + str(timestamp).encode()
                    + b"; h=" + self.h_tag + b"; bh=" + bh + b"; b=")
            signed = canonical_headers + b"dkim-signature:" + tags
            b = base64.b64encode(key.sign(signed))
            # folded at the tag separators; relaxed canonicalization turns each fold back into one space
            folded = tags.replace(b"; ", b";\r\n\t")
            chunks = [b[i:i + 72] for i in range(0, len(b), 72)]
            out.append(b"DKIM-Signature: " + folded + b"\r\n\t ".join(chunks) + b"\r\n")
        return b"".join(out)


__all__ = ["DkimKey", "SIGNED_HEADERS", "Signer", "key_from_pem", "load_key", "relaxed_header"]
