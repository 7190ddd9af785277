# The About sheet of every workbook, and the titles and counting rules of the reports.
workbook-report = Report
workbook-filters = Filters
workbook-no-filters = none
workbook-as-of = As of
workbook-now = now (when generated)
workbook-generated = Generated
workbook-note = Note
workbook-rule = Counting rule
workbook-title-coverage = Coverage of mission requirements
workbook-title-allocation = Proposed allocation of unearmarked pledges to open gaps
workbook-title-countries = Pledges by member state
workbook-title-country = Pledges of { $name } ({ $code })
workbook-title-renewals = PCRS renewals overdue or due within 30 days
workbook-title-pledges = Pledges (the import format: this workbook imports back unchanged)
rule-allocation = A proposal: critical gaps first, then by needed-by date; pledges available in time first; no pledge used twice.
rule-renewals = A pledge is renewed in the PCRS 12 months after its registration, then every 6 months after its last renewal; it is listed when that date has passed or falls within 30 days, soonest first. Withdrawn pledges are not listed.
