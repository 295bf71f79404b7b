"""Make a thumbnail's name and size from an S3 upload event (or {"key": ..., "width": ...}).

The module-level code is the function's Init phase: it runs once per execution environment
(the cold start); warm invocations reuse `SIZES`.
"""

import time

SIZES = {"small": 128, "medium": 512}
STARTED = time.time()


def handler(event, context):
    records = event.get("Records") or [{"s3": {"object": {"key": event.get("key", "photo.jpg")}}}]
    width = event.get("width", SIZES["small"])
    if not isinstance(width, int) or width <= 0:
        raise ValueError(f"width must be a positive integer, got {width!r}")
    keys = [record["s3"]["object"]["key"] for record in records]
    print(f"resizing {', '.join(keys)} to {width} px")
    return {"thumbnails": [f"thumbnails/{width}/{key}" for key in keys], "width": width,
            "version": context.function_version}
