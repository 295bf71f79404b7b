"""policyengine: AWS IAM policy evaluation."""
