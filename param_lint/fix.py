"""--fix: write the computed count into expected_params (placeholder until implemented)."""
