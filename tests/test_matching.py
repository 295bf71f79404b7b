"""Action, resource and principal matching, and the linear-time wildcard matcher.

AWS sources: IAM User Guide, policy elements Action, Resource (wildcards in ARN
segments), Principal and NotPrincipal; ../shared/docs/lambda-permissions.md §1.8, §2.8.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyengine.errors import RequestError
from policyengine.evaluation.actions import ActionIndex, compile_actions, index_keys
from policyengine.evaluation.arns import compile_resources
from policyengine.evaluation.context import RequestContext
from policyengine.evaluation.principals import (
    GrantKind,
    PrincipalKind,
    excluded_by_not_principal,
    parse_principal,
    principal_grant,
)
from policyengine.evaluation.wildcard import compile_glob, match_steps
from policyengine.model.policy import Principal

A = "111122223333"


def _reference_glob(pattern: str, text: str) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, text, re.DOTALL) is not None


@settings(max_examples=400, deadline=None)
@given(st.text("ab*?:", max_size=8), st.text("ab:", max_size=10))
def test_glob_agrees_with_a_regular_expression(pattern: str, text: str) -> None:
    expected = _reference_glob(pattern, text)
    assert compile_glob(pattern)(text) is expected
    assert match_steps(pattern, text)[0] is expected


@pytest.mark.parametrize("size", [1_000, 10_000, 100_000])
def test_wildcard_matching_is_linear_in_the_input_size(size: int) -> None:
    """50 stars against a long ARN that almost matches: a backtracking matcher explores
    O(n^50) splits; ours compares each character a bounded number of times."""
    pattern = "arn:aws:s3:::" + "*a" * 50 + "*b"
    text = "arn:aws:s3:::" + "a" * size
    assert compile_glob(pattern)(text) is False
    matched, steps = match_steps(pattern, text)
    assert matched is False
    longest_segment = 13  # "arn:aws:s3:::"
    assert steps <= (len(text) + len(pattern)) * longest_segment


def test_wildcard_steps_grow_linearly_not_quadratically() -> None:
    pattern = "*" + "*x?y" * 50 + "*z"
    small = match_steps(pattern, "xy" * 5_000)[1]
    large = match_steps(pattern, "xy" * 10_000)[1]
    assert large <= 2 * small + 200


def test_fifty_stars_against_ten_thousand_characters_through_resource_matching() -> None:
    pattern = "arn:aws:s3:::bucket/" + "*a" * 50 + "*"
    matcher = compile_resources([pattern], negated=False, variables_enabled=True)
    arn = "arn:aws:s3:::bucket/" + "a" * 49 + "b" * 10_000
    assert matcher(arn, RequestContext()) is False
    assert matcher(arn + "a", RequestContext()) is True


ACTIONS = [
    ("action_names_are_case_insensitive", ["S3:GetObject"], False, "s3:getobject", True),
    ("star_matches_every_action", ["*"], False, "ec2:runinstances", True),
    ("star_inside_the_action_name", ["iam:*AccessKey*"], False, "iam:createaccesskey", True),
    ("question_mark_is_one_character", ["s3:?etObject"], False, "s3:getobject", True),
    ("question_mark_is_not_zero_characters", ["s3:?GetObject"], False, "s3:getobject", False),
    ("prefix_must_match", ["s3:Get*"], False, "s3:putobject", False),
    ("service_prefix_is_part_of_the_pattern", ["s3:*"], False, "s3express:createsession", False),
    ("not_action_matches_everything_else", ["iam:*"], True, "s3:getobject", True),
    ("not_action_does_not_match_listed", ["iam:*"], True, "iam:createuser", False),
]


@pytest.mark.parametrize("patterns,negated,action,expected", [c[1:] for c in ACTIONS], ids=[c[0] for c in ACTIONS])
def test_action_matching(patterns: list[str], negated: bool, action: str, expected: bool) -> None:
    assert compile_actions(patterns, negated=negated)(action) is expected


def test_action_index_files_each_statement_once_per_action() -> None:
    index: ActionIndex[str] = ActionIndex()
    index.add("exact", index_keys(["s3:GetObject", "ec2:RunInstances"], negated=False))
    index.add("wild", index_keys(["s3:Get*", "s3:GetObject"], negated=False))
    index.add("not", index_keys(["iam:*"], negated=True))
    index.add("any", index_keys(["*"], negated=False))
    assert sorted(index.candidates("s3:getobject", "s3")) == ["any", "exact", "not", "wild"]
    assert sorted(index.candidates("ec2:runinstances", "ec2")) == ["any", "exact", "not"]
    assert sorted(index.candidates("sqs:sendmessage", "sqs")) == ["any", "not"]


RESOURCES = [
    ("exact_arn", "arn:aws:sqs:us-east-1:111122223333:jobs", "arn:aws:sqs:us-east-1:111122223333:jobs", True),
    ("arns_are_case_sensitive", "arn:aws:iam::111122223333:user/Bob", "arn:aws:iam::111122223333:user/bob", False),
    ("star_in_resource_crosses_slashes", "arn:aws:s3:::bucket/*/test/*", "arn:aws:s3:::bucket/1/2/test/x", True),
    ("star_alone_matches_everything", "*", "arn:aws:s3:::anything", True),
    ("bucket_pattern_does_not_match_bucket_itself", "arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", False),
    ("segment_final_star_crosses_colons", "arn:aws:lambda:us-east-1:111122223333:function:my-fn*",
     "arn:aws:lambda:us-east-1:111122223333:function:my-fn:PROD", True),
    ("short_pattern_with_final_star_runs_to_the_end", "arn:aws:s3:*", "arn:aws:s3:::bucket/key", True),
    ("short_pattern_keeps_its_service", "arn:aws:s3:*", "arn:aws:s3-object-lambda:us-east-1:1:x", False),
    ("wildcards_in_region_and_account_segments", "arn:aws:sqs:us-*-1:*:jobs", "arn:aws:sqs:us-west-1:999:jobs", True),
    ("region_star_does_not_swallow_other_segments", "arn:aws:sqs:*:111122223333:jobs",
     "arn:aws:sqs:us-east-1:999999999999:jobs", False),
    ("question_mark_in_segment", "arn:aws:sqs:us-east-?:111122223333:jobs",
     "arn:aws:sqs:us-east-2:111122223333:jobs", True),
    ("arn_pattern_does_not_match_a_star_resource", "arn:aws:s3:::*", "*", False),
]


@pytest.mark.parametrize("pattern,resource,expected", [c[1:] for c in RESOURCES], ids=[c[0] for c in RESOURCES])
def test_resource_matching(pattern: str, resource: str, expected: bool) -> None:
    matcher = compile_resources([pattern], negated=False, variables_enabled=True)
    assert matcher(resource, RequestContext()) is expected
    negated = compile_resources([pattern], negated=True, variables_enabled=True)
    assert negated(resource, RequestContext()) is (not expected)


VARIABLES = [
    ("variable_is_substituted", "arn:aws:s3:::home/${aws:username}/*", {"aws:username": "alice"},
     "arn:aws:s3:::home/alice/x", True),
    ("variable_key_name_is_case_insensitive", "arn:aws:s3:::home/${AWS:UserName}/*", {"aws:username": "alice"},
     "arn:aws:s3:::home/alice/x", True),
    ("default_is_used_when_key_is_absent", "arn:aws:s3:::home/${aws:username, 'shared'}/*", {},
     "arn:aws:s3:::home/shared/x", True),
    ("unresolvable_variable_matches_nothing", "arn:aws:s3:::home/${aws:username}/*", {},
     "arn:aws:s3:::home/${aws:username}/x", False),
    ("substituted_value_is_literal_not_a_wildcard", "arn:aws:s3:::home/${aws:username}", {"aws:username": "*"},
     "arn:aws:s3:::home/alice", False),
    ("escape_star_is_a_literal_star", "arn:aws:s3:::b/${*}", {}, "arn:aws:s3:::b/*", True),
    ("escape_star_is_not_a_wildcard", "arn:aws:s3:::b/${*}", {}, "arn:aws:s3:::b/x", False),
    ("escape_question_mark", "arn:aws:s3:::b/${?}", {}, "arn:aws:s3:::b/?", True),
    ("escape_dollar", "arn:aws:s3:::b/${$}x", {}, "arn:aws:s3:::b/$x", True),
    ("variable_in_account_segment", "arn:aws:sqs:*:${aws:PrincipalAccount}:*",
     {"aws:PrincipalAccount": A}, f"arn:aws:sqs:us-east-1:{A}:q", True),
]


@pytest.mark.parametrize("pattern,context,resource,expected", [c[1:] for c in VARIABLES],
                         ids=[c[0] for c in VARIABLES])
def test_policy_variables_in_resource(pattern: str, context: dict[str, str], resource: str, expected: bool) -> None:
    matcher = compile_resources([pattern], negated=False, variables_enabled=True)
    assert matcher(resource, RequestContext(context)) is expected


def test_variables_are_literal_without_version_2012() -> None:
    matcher = compile_resources(["arn:aws:s3:::home/${aws:username}/*"], negated=False, variables_enabled=False)
    ctx = RequestContext({"aws:username": "alice"})
    assert matcher("arn:aws:s3:::home/alice/x", ctx) is False
    assert matcher("arn:aws:s3:::home/${aws:username}/x", ctx) is True


PRINCIPALS = [
    ("user", f"arn:aws:iam::{A}:user/path/alice", PrincipalKind.USER, f"arn:aws:iam::{A}:user/path/alice"),
    ("role_session", f"arn:aws:sts::{A}:assumed-role/app/s1", PrincipalKind.ROLE_SESSION,
     f"arn:aws:iam::{A}:role/app"),
    ("role_arn_is_a_session_of_the_role", f"arn:aws:iam::{A}:role/app", PrincipalKind.ROLE_SESSION,
     f"arn:aws:iam::{A}:role/app"),
    ("root", f"arn:aws:iam::{A}:root", PrincipalKind.ROOT, f"arn:aws:iam::{A}:root"),
    ("bare_account_id_is_the_root", A, PrincipalKind.ROOT, f"arn:aws:iam::{A}:root"),
    ("federated_user", f"arn:aws:sts::{A}:federated-user/fed", PrincipalKind.FEDERATED_USER,
     f"arn:aws:sts::{A}:federated-user/fed"),
    ("service", "lambda.amazonaws.com", PrincipalKind.SERVICE, None),
    ("anonymous", "*", PrincipalKind.ANONYMOUS, None),
    ("web_identity", "cognito-identity.amazonaws.com", PrincipalKind.WEB_IDENTITY, None),
]


@pytest.mark.parametrize("text,kind,principal_arn", [c[1:] for c in PRINCIPALS], ids=[c[0] for c in PRINCIPALS])
def test_request_principals(text: str, kind: PrincipalKind, principal_arn: str | None) -> None:
    who = parse_principal(text)
    assert (who.kind, who.arn) == (kind, principal_arn)


@pytest.mark.parametrize("text", ["", "bob", "arn:aws:s3:::bucket", "arn:aws:sts::1:assumed-role/onlyrole"])
def test_unknown_principals_are_rejected_with_a_clear_error(text: str) -> None:
    with pytest.raises(RequestError):
        parse_principal(text)


SESSION = parse_principal(f"arn:aws:sts::{A}:assumed-role/app/s1")
USER = parse_principal(f"arn:aws:iam::{A}:user/alice")
GRANTS = [
    ("star_is_direct", "*", SESSION, GrantKind.DIRECT),
    ("aws_star_is_direct", {"AWS": "*"}, SESSION, GrantKind.DIRECT),
    ("session_arn_is_direct", {"AWS": f"arn:aws:sts::{A}:assumed-role/app/s1"}, SESSION, GrantKind.DIRECT),
    ("other_session_does_not_match", {"AWS": f"arn:aws:sts::{A}:assumed-role/app/s2"}, SESSION, None),
    ("role_arn_matches_its_sessions_capped", {"AWS": f"arn:aws:iam::{A}:role/app"}, SESSION, GrantKind.ROLE),
    ("role_arn_with_path_matches_by_name", {"AWS": f"arn:aws:iam::{A}:role/team/app"}, SESSION, GrantKind.ROLE),
    ("account_id_delegates", {"AWS": A}, SESSION, GrantKind.ACCOUNT),
    ("account_root_arn_delegates", {"AWS": f"arn:aws:iam::{A}:root"}, USER, GrantKind.ACCOUNT),
    ("user_arn_is_direct", {"AWS": [f"arn:aws:iam::{A}:user/bob", f"arn:aws:iam::{A}:user/alice"]}, USER,
     GrantKind.DIRECT),
    ("user_names_are_case_sensitive", {"AWS": f"arn:aws:iam::{A}:user/Alice"}, USER, None),
    ("direct_wins_over_account", {"AWS": [A, f"arn:aws:iam::{A}:user/alice"]}, USER, GrantKind.DIRECT),
    ("service_name", {"Service": ["s3.amazonaws.com"]}, parse_principal("s3.amazonaws.com"), GrantKind.DIRECT),
    ("service_does_not_match_account", {"AWS": A}, parse_principal("s3.amazonaws.com"), None),
]


def _principal(value: object) -> Principal:
    if value == "*":
        return Principal(wildcard=True)
    assert isinstance(value, dict)
    return Principal(values={k: v if isinstance(v, list) else [v] for k, v in value.items()})


@pytest.mark.parametrize("element,who,expected", [c[1:] for c in GRANTS], ids=[c[0] for c in GRANTS])
def test_principal_element_grants(element: object, who: object, expected: GrantKind | None) -> None:
    assert principal_grant(_principal(element), who) is expected  # type: ignore[arg-type]


NOT_PRINCIPALS = [
    ("listing_user_and_account_exempts_user", [f"arn:aws:iam::{A}:user/alice", A], USER, True),
    ("listing_user_only_does_not_exempt_account_level", [f"arn:aws:iam::{A}:user/alice"], USER, False),
    ("listing_role_and_account_exempts_sessions", [f"arn:aws:iam::{A}:role/app", A], SESSION, True),
    ("listing_session_and_account_without_role_does_not_exempt",
     [f"arn:aws:sts::{A}:assumed-role/app/s1", A], SESSION, False),
]


@pytest.mark.parametrize("listed,who,expected", [c[1:] for c in NOT_PRINCIPALS], ids=[c[0] for c in NOT_PRINCIPALS])
def test_not_principal_exemptions_need_every_level(listed: list[str], who: object, expected: bool) -> None:
    element = Principal(values={"AWS": listed})
    assert excluded_by_not_principal(element, who) is expected  # type: ignore[arg-type]


# -- conditions: StringLike and ArnLike with many stars stay linear ------------------------------


def _counting_glob(counter: list[int]):
    """A stand-in for compile_glob that matches with `match_steps` and adds up its steps."""

    def compile_counting(pattern, *, ignore_case: bool = False):
        text_pattern = pattern if isinstance(pattern, str) else "".join(
            t if wild else "".join("[" + c + "]" if c in "*?" else c for c in t) for t, wild in pattern)
        assert "[" not in text_pattern, "literal wildcards are not used in these patterns"

        def match(value: str) -> bool:
            matched, steps = match_steps(text_pattern, value)
            counter[0] += steps
            return matched

        return match

    return compile_counting


def _condition_steps(monkeypatch: pytest.MonkeyPatch, operator: str, pattern: str, value: str) -> tuple[str, int]:
    import policyengine as pe
    from policyengine.evaluation.conditions import arn as arn_family
    from policyengine.evaluation.conditions import string as string_family

    counter = [0]
    with monkeypatch.context() as m:
        m.setattr(string_family, "compile_glob", _counting_glob(counter))
        m.setattr(arn_family, "compile_glob", _counting_glob(counter))
        policies = pe.PolicySet(identity=[{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {operator: {"aws:SourceArn": pattern}}}]}])
        decision = policies.authorize(pe.Request("arn:aws:iam::111122223333:user/alice", "s3:GetObject", "*",
                                                 context={"aws:SourceArn": value}))
    return decision.decision, counter[0]


@pytest.mark.parametrize(("operator", "pattern", "prefix"), [
    ("StringLike", "*a" * 50 + "*b", ""),
    ("StringNotLike", "x*" + "*a?" * 40 + "*b", "x"),
    ("ArnLike", "arn:aws:s3:::" + "*a" * 50 + "*b", "arn:aws:s3:::"),
    ("ArnNotLike", "arn:aws:s3:*:*:" + "*a" * 50 + "*b", "arn:aws:s3:::"),
])
def test_condition_wildcards_take_linear_steps(monkeypatch: pytest.MonkeyPatch, operator: str, pattern: str,
                                                prefix: str) -> None:
    """StringLike / ArnLike (and their negations) with 40-50 stars against values that almost
    match: the characters compared double when the value doubles (a backtracking matcher
    would explore O(n^50) splits), and the decision is the real matcher's."""
    import policyengine as pe

    steps = []
    for size in (10_000, 20_000):
        value = prefix + "a" * size
        decision, count = _condition_steps(monkeypatch, operator, pattern, value)
        real = pe.PolicySet(identity=[{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {operator: {"aws:SourceArn": pattern}}}]}]
        ).authorize(pe.Request("arn:aws:iam::111122223333:user/alice", "s3:GetObject", "*",
                               context={"aws:SourceArn": value}))
        assert decision == real.decision
        assert count > 0
        steps.append(count)
    assert steps[1] <= 2 * steps[0] + 500, steps


def test_condition_matching_memory_is_linear_in_the_value() -> None:
    """Peak memory of a StringLike with 50 stars grows with the value's size, not faster."""
    import tracemalloc

    import policyengine as pe

    policies = pe.PolicySet(identity=[{"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*",
         "Condition": {"StringLike": {"aws:SourceArn": "*a" * 50 + "*b"}}}]}])

    def peak(size: int) -> int:
        request = pe.Request("arn:aws:iam::111122223333:user/alice", "s3:GetObject", "*",
                             context={"aws:SourceArn": "a" * size})
        tracemalloc.start()
        try:
            assert not policies.authorize(request).allowed
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(200_000), peak(800_000)
    assert large <= 4 * small * 1.5, (small, large)
