# Entity, Mention, Event, EventCluster and Judgement arrive with the
# extraction and cross-linking issues (see docs/../DESIGN.md).
