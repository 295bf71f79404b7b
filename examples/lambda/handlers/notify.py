"""Tell the team a thumbnail is ready: an SQS message (the execution role may send it) and, when
asked to page someone, an SNS publish (the role may not: the call raises AccessDeniedException,
as boto3 would, and the invocation ends in a function error)."""

import json

EVENTS_QUEUE = "arn:aws:sqs:us-east-1:111122223333:thumbnail-events"
PAGER_TOPIC = "arn:aws:sns:us-east-1:111122223333:on-call"


def handler(event, context):
    context.client.sqs.send_message(QueueUrl=EVENTS_QUEUE, MessageBody=json.dumps(event))
    if event.get("page"):
        context.client.sns.publish(TopicArn=PAGER_TOPIC, Message="thumbnail pipeline needs attention")
    return {"queued": EVENTS_QUEUE}
