"""Tier terraform's calls on the state bucket in moto, the local AWS API (run with moto's venv:
boto3). Credentials are moto's dummies; the region is AWS_REGION (default eu-west-1).

usage: state-bucket.py refuses-plain-http ENDPOINT BUCKET
           exit 0 when reading an object over plain HTTP is refused with 403 (the bucket's
           TLS-only policy, which moto enforces), 1 when it is served or fails otherwise
       state-bucket.py drop-policy ENDPOINT BUCKET
           deletes the bucket's policy (moto speaks plain HTTP only)
       state-bucket.py lock ENDPOINT BUCKET KEY
           writes the lock file KEY.tflock as OpenTofu's S3 native locking does, held by ID
           held-by-ci
       state-bucket.py unlock ENDPOINT BUCKET KEY
           deletes KEY.tflock
       state-bucket.py empty ENDPOINT BUCKET
           deletes every version, delete markers first (moto 5.2.5 answers 500 deleting the last
           version of a key whose history holds a delete marker, which force_destroy does)
exit 1 when the API refuses a call (its error on stderr); other arguments: exit 2.
"""

import json
import os
import sys

ARGS = {"refuses-plain-http": 2, "drop-policy": 2, "lock": 3, "unlock": 3, "empty": 2}


def client(endpoint: str):
    import boto3  # moto's venv has it; the argument checks above need none

    return boto3.client("s3", endpoint_url=endpoint, region_name=os.environ.get("AWS_REGION", "eu-west-1"),
                        aws_access_key_id="test", aws_secret_access_key="test")


def run(cmd: str, s3, bucket: str, key: str = "") -> int:
    if cmd == "refuses-plain-http":
        try:
            s3.head_object(Bucket=bucket, Key="probe")
        except Exception as e:
            if "403" in str(e):
                return 0
            print(f"refused, but not by the policy (403): {e}", file=sys.stderr)
            return 1
        print("plain HTTP was served", file=sys.stderr)
        return 1
    if cmd == "drop-policy":
        s3.delete_bucket_policy(Bucket=bucket)
    elif cmd == "lock":
        lock = {"ID": "held-by-ci", "Operation": "OperationTypeApply", "Who": "tier-terraform"}
        s3.put_object(Bucket=bucket, Key=f"{key}.tflock", Body=json.dumps(lock))
    elif cmd == "unlock":
        s3.delete_object(Bucket=bucket, Key=f"{key}.tflock")
    else:
        versions = s3.list_object_versions(Bucket=bucket)
        for m in versions.get("DeleteMarkers", []):
            s3.delete_object(Bucket=bucket, Key=m["Key"], VersionId=m["VersionId"])
        for v in versions.get("Versions", []):
            s3.delete_object(Bucket=bucket, Key=v["Key"], VersionId=v["VersionId"])
        left = s3.list_object_versions(Bucket=bucket).get("Versions")
        if left:
            print(f"versions left: {[v['Key'] for v in left]}", file=sys.stderr)
            return 1
    return 0


def main(argv: list[str]) -> int:
    if not argv or ARGS.get(argv[0]) != len(argv) - 1:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, endpoint, bucket, *key = argv
    try:
        return run(cmd, client(endpoint), bucket, *key)
    except Exception as e:  # botocore's errors: a refused call, an unreachable endpoint
        print(f"state-bucket {cmd}: {type(e).__name__}: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
