"""What the tests of a search's queries look for: that every query matching a search runs on the GIN index."""


def matching_queries(captured):
    """(times the planner settings of ``search.gin_matching`` were set, queries that match a search) of the queries
    ``captured``; every query that matches runs with those settings."""
    inside, planned, matched = False, 0, 0
    for query in captured.captured_queries:
        sql = query["sql"]
        if "enable_seqscan" in sql:
            inside, planned = True, planned + 1
        elif sql.startswith(("ROLLBACK", "RELEASE")):
            inside = False
        elif "search_vector @@" in sql:
            assert inside, sql
            matched += 1
    return planned, matched
