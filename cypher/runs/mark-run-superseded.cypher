// $runId (string)
MATCH (r:Run {runId: $runId})
SET r.status = CASE r.status WHEN 'complete' THEN 'superseded' ELSE 'abandoned' END,
    r.recommendationsDeleted = true
