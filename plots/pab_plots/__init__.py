"""plots/plot and plots/compare: a results folder to plots, REPORT.md and run comparisons."""
