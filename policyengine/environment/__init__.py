"""An account snapshot: users, groups, roles, functions, resources and the organization."""

from .environment import Environment, EnvironmentError, function_base_arn
from .model import EnvironmentData, FunctionRecord, ResourceRecord, RoleRecord, UserRecord

__all__ = [
    "Environment",
    "EnvironmentData",
    "EnvironmentError",
    "FunctionRecord",
    "ResourceRecord",
    "RoleRecord",
    "UserRecord",
    "function_base_arn",
]
