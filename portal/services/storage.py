"""Where uploaded files live, behind one small interface: a folder in the instance path by default
(the embedded case), S3-compatible object storage at scale (`ATTACHMENTS_STORAGE=s3`, boto3).

Files are named by random ids (services/attachments.py), never by the name a customer gave them, and
nothing here ever serves a file: the portal reads it back and serves it with its own headers.
"""
from __future__ import annotations

import os
from pathlib import Path

from flask import current_app


class FolderStorage:
    """Files in a folder of the instance path; each written to a temporary name first, then renamed,
    so a crash never leaves half a file under a real key."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not key.replace("-", "").isalnum():
            raise ValueError("a storage key is letters, digits and dashes")
        return self.root / key[:2] / key

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".part")
        temporary.write_bytes(data)
        temporary.replace(path)

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def keys(self) -> list[str]:
        return sorted(path.name for path in self.root.glob("*/*") if path.suffix != ".part")


class S3Storage:
    """An S3-compatible bucket (AWS, MinIO, Ceph, Garage …): `S3_BUCKET`, `S3_ENDPOINT_URL`, and the
    usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_DEFAULT_REGION."""

    def __init__(self, bucket: str, endpoint_url: str | None = None, region: str | None = None):
        import boto3

        self.bucket = bucket
        self.client = boto3.client("s3", endpoint_url=endpoint_url or None, region_name=region or None)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type)

    def get(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def keys(self) -> list[str]:
        found, token = [], None
        while True:
            page = self.client.list_objects_v2(Bucket=self.bucket, **({"ContinuationToken": token} if token else {}))
            found += [item["Key"] for item in page.get("Contents", [])]
            if not page.get("IsTruncated"):
                return sorted(found)
            token = page["NextContinuationToken"]


def get_storage():
    """The app's storage, made once per app from its settings."""
    cached = current_app.extensions.get("gehoord.storage")
    if cached is None:
        config = current_app.config
        if config.get("ATTACHMENTS_STORAGE") == "s3":
            cached = S3Storage(config["S3_BUCKET"], config.get("S3_ENDPOINT_URL"), config.get("S3_REGION"))
        else:
            cached = FolderStorage(config.get("ATTACHMENTS_FOLDER") or Path(current_app.instance_path) / "uploads")
        current_app.extensions["gehoord.storage"] = cached
    return cached
