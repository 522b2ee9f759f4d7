"""Finding and merging duplicate resident registrations.

``blocking`` proposes candidate pairs, ``scoring`` scores them, ``services`` runs a scan, records the
review decisions and merges (and un-merges) two residents, ``selectors`` feeds the review queue.
"""
