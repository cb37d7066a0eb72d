"""Synthetic study data: SurveyMonkey exports for respondents that never existed."""
