"""Defence labs: corpora of attacks and ordinary requests, judged and scored."""
