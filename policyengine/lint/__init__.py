"""`policyengine lint`: validate policy documents (Access Analyzer's checks and more), offline."""
