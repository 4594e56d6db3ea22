"""Turn exports from the platform into contract records."""
