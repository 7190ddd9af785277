# Messages of the rules (crates/domain), by the key each rule gives them.
err-pledge-ref-required = a pledge reference is required
err-pledge-ref-too-long = pledge reference '{ $r }' must be at most { $max } printable characters
err-quantity-range = quantity must be a whole number from 1 to { $max }, not { $n }
err-personnel-range = personnel must be a whole number from 0 to { $max }, not { $total }
err-female-personnel-range = female personnel must be a whole number from 0 to { $max }, not { $women }
err-female-over-total = female personnel ({ $women }) cannot exceed personnel ({ $total })
err-duration-range = duration must be from 1 to { $max } months, not { $n }
err-partner-is-lead = { $lead } leads this pledge and cannot also be its partner
err-partner-twice = partner { $partner } is listed twice
err-partner-shape = partner '{ $entry }' should be written ISO3:role, e.g. JPN:equips
err-usd-negative = an amount in USD cannot be negative
err-monthly-cost-too-large = a monthly cost can be at most one trillion US dollars ({ $max }) — check the figure for extra digits
err-usd-shape = '{ $s }' is not an amount in USD — write digits with at most two decimals, no thousands separator or currency sign (e.g. 1250000.50)
err-reinstate-not-withdrawn = only a withdrawn pledge can be reinstated; this one is { $status }
err-reinstate-no-history = this pledge has no history to reinstate
err-reinstate-to-active = a reinstated pledge returns to pledged, verified or deployed
err-status-unknown = status '{ $s }' is not one of pledged, verified, deployed, withdrawn
err-member-state-code = '{ $text }' is not an ISO 3166-1 alpha-3 code (three letters, e.g. PAK)
err-capability-code = '{ $text }' is not a capability code (letters, digits and hyphens, e.g. INF-BN)
err-mission-acronym = '{ $text }' is not a mission acronym (letters only, e.g. MINUSCA)
err-conference-code = '{ $text }' is not a conference code (e.g. ISB-2023)
err-conference-dates = conference { $code } ends ({ $ends_on }) before it starts ({ $starts_on })
err-word-not-one-of =
    { $what ->
        [category] category
        [priority] priority
        [role] role
        [lease] lease
        [milestone-kind] milestone kind
        [partner-role] partner role
        [unit-of-measure] unit of measure
        [gender-category] gender category
        [stage] stage
        [lineage-class] lineage class
       *[other] { $what }
    } '{ $s }' is not one of { $words }
err-readiness-unknown = readiness '{ $s }' is not a PCRS level — use L1, L2, L3 or RDL
err-gender-target-range = a gender target of { $percent } % is not a percentage between 0 and 100
err-delegate-needs-state = a delegate token must name its member state
err-state-only-for-delegates = only delegate tokens are bound to a member state, not { $role } tokens
err-unknown-member-state = unknown member state '{ $input }'
err-unknown-member-state-suggest = unknown member state '{ $input }' — did you mean { $suggestion }?
err-unknown-code = unknown { $kind } '{ $input }'
err-unknown-code-suggest = unknown { $kind } '{ $input }' — did you mean { $suggestion }?
err-forbidden-transition = a { $from } pledge cannot become { $to }; allowed: { $allowed }
err-date-shape = '{ $text }' is not a date written YYYY-MM-DD (e.g. 2025-04-15)
err-text-too-long = { $field } must be at most { $max } characters
err-member-state-required = a member state is required
err-capability-required = a capability is required
err-quantity-required = a quantity is required
err-renewed-before-registered = a pledge cannot be renewed ({ $ren }) before it was registered ({ $reg })
err-equipment-required = an equipment { $part } is required
err-equipment-too-long = an equipment { $part } must be at most { $max } characters
err-estimate-too-large = personnel was left out and its estimate ({ $quantity } × { $size } for { $capability }) is over { $max }: state the personnel
err-estimate-described = { $estimate } = { $quantity } × { $size } for { $capability }
err-estimate-mismatch = personnel { $total } is marked as estimated, but the estimate is { $estimate }: leave personnel empty to estimate it, or set personnel_estimated to false to state { $total }
err-women-over-estimate = female personnel ({ $women }) cannot exceed the estimated personnel ({ $estimate }): state the personnel
err-estimated-flag = personnel_estimated '{ $other }' should be true or false
err-flag = '{ $other }' should be true or false
err-supersedes-shape = '{ $text }' should name the earlier pledge as STATE:REFERENCE, e.g. PAK:ISB-2023-04
err-supersedes-other-state = { $target } is a pledge of { $other }; a pledge of { $own } can only supersede one of { $own }'s own pledges
err-supersedes-itself = a pledge cannot supersede itself ({ $target })
err-supersedes-missing = there is no pledge { $target } to supersede
err-supersedes-twice = { $target } is already superseded by { $other }; a pledge is re-announced only once — supersede { $other } instead
err-supersedes-loop = { $pledge } already comes before { $target } in its lineage; superseding it would make a loop
err-milestone-kind-required = choose which milestone was reached
err-milestone-date-required = give the date the milestone was reached, as YYYY-MM-DD
err-milestone-mission-required = a selection names the mission the pledge was selected for
err-milestone-mission-only-selection = only a selection names a mission; leave it empty for '{ $label }'
err-milestone-withdrawn = this pledge is withdrawn and takes no milestones; an admin may reinstate it first
err-milestone-future = { $date } is in the future: it is not yet that day anywhere; a milestone records what has happened
err-milestone-twice = this pledge already has '{ $label }' on { $date }; an admin may delete that milestone to record it again
err-milestone-before-earlier = '{ $label }' cannot be dated { $date }: '{ $other }', an earlier step, is dated { $on }; date it on or after { $on }
err-milestone-after-later = '{ $label }' cannot be dated { $date }: '{ $other }', a later step, is dated { $on }; date it on or before { $on }
err-milestone-note-too-long = the note is { $chars } characters long; at most { $max } are kept
err-milestone-source-too-long = the source reference is { $chars } characters long; at most { $max } are kept
err-milestone-cell-not-date = { $label }: { $error }
err-milestone-cell-other-date = this pledge has '{ $label }' on { $on }, not { $date }; an admin may delete that milestone on the pledge's page to record it again
err-milestone-cell-no-mission = a selection names the mission it is for: give the row's mission
err-pledge-twice-in-file = pledge { $reference } of { $state } appears twice in this file
err-viewer-may-not-record = a viewer may read but not record pledges
err-delegate-own-state = a delegate of { $own } may record only { $own }'s pledges, not { $state }'s
err-delegate-no-state = this delegate token names no member state
err-viewer-no-milestones = a viewer may read milestones but not record them
err-admin-only = only an admin may do this; this token is a { $role }
err-change-member-state = a pledge stays with its member state ({ $state }); withdraw it and record a new one
err-change-pledge-ref = the reference { $reference } identifies this pledge and cannot change
err-reinstate-status-only = a reinstatement changes the status only
err-not-whole-number =
    { $column ->
       *[other] { $what }
    } '{ $value }' is not a whole number
err-column-missing = required column '{ $required }' is missing
err-column-unknown = unknown column '{ $raw }' — the columns are: { $known }
err-columns-unknown-more = … and { $more } more unknown columns ({ $all } in all)
err-column-twice = column '{ $name }' appears twice
err-column-unnamed = column { $n } has no name
err-requirement-twice = { $mission } needs { $capability } twice in this file
err-requirement-not-capacity = { $code } is a { $category } pledge, not capacity a mission can require
err-stalled-days = stalled_days '{ $text }' is not a number of days from 1 to { $max }
err-as-of-format = as_of '{ $text }' is not a timestamp like 2025-04-15T09:30:00Z or a date like 2025-04-15
err-as-of-future = as_of '{ $text }' is in the future: a report shows the board as it stood at a moment already past (leave as_of out for the board as it stands now)
err-param-range = { $field } must be a whole number from { $min } to { $max }
err-cursor = this cursor was not given by a previous page
err-timestamp-format = write a timestamp like 2025-04-15T09:30:00Z
err-sort-unknown = cannot sort by '{ $other }'; sort by one of { $columns }
err-too-many-columns = the header row has { $columns } columns, but a file may have at most { $max } (the pledge format has 18) — delete the extra columns and save again
err-xlsx-why-sheet = a sheet of 1,000,000 pledges unpacks to about 477 MB
err-xlsx-why-shared-strings = the shared texts of 1,000,000 pledges unpack to about 28 MB
err-xlsx-why-other = such a part of a pledge workbook is a few kilobytes
err-xlsx-damaged = this .xlsx workbook is damaged: its part { $path } cannot be unpacked ({ $reason })
err-xlsx-part-too-large = this .xlsx workbook's part { $path } unpacks to more than { $max } bytes, the most it may ({ $why }) — save the pledges alone in a new workbook, or as CSV
err-xlsx-part-declared-too-large = this .xlsx workbook's part { $path } unpacks to more than { $max } bytes (its header declares { $declared } bytes), the most it may ({ $why }) — save the pledges alone in a new workbook, or as CSV
err-xlsx-workbook-too-large = this .xlsx workbook unpacks to more than { $max } bytes in all — save the pledges alone in a new workbook, or as CSV
err-xlsx-too-many-parts = this .xlsx workbook has { $parts } parts, but a workbook may have at most { $max } — save the pledges alone in a new workbook, or as CSV
err-xlsx-run-too-long = this .xlsx workbook's part { $path } holds a text or tag longer than { $max } bytes, far more than any cell of a pledge sheet needs
err-xlsx-busy = the workbook cannot be read just now: { $reason }
err-xlsx-rows-out-of-order = the sheet's rows are out of order (row { $row } comes after row { $previous }) — open it in a spreadsheet program and save it again
err-xlsx-unreadable = this is not a readable .xlsx workbook: { $reason }
err-xlsx-no-sheet = the workbook has no sheet
err-xlsx-sheet-unreadable = the first sheet cannot be read: { $reason }
err-xlsx-sheet-stopped = the first sheet cannot be read
err-xlsx-sheet-cut-short = the sheet could not be read to its end
err-header-too-long = the header row is longer than { $bytes } bytes, but { $max } column names fit in that — is this a pledge file, with one header row?
err-record-too-long = the row starting on line { $line } is longer than { $bytes } bytes, more than any pledge row needs — often a quote mark (") that is never closed makes the rest of the file one cell; nothing after it was read
err-cell-too-long = this cell holds { $bytes } bytes, but a cell may hold at most { $max } (a note or caveat is at most 2,000 characters)
err-row-too-long = this row holds { $bytes } bytes of text, but a row may hold at most { $max }
err-too-many-rows = the file has more than { $rows } rows, the most one import takes — split it into several files; nothing after line { $line } was read
err-row-too-wide = this row has { $cells } cells but the header has { $width }
err-file-empty = the file is empty — a header row is required
err-not-whole-number-grouped =
    { $column ->
       *[other] { $what }
    } '{ $value }' is not a whole number (thousands may be written 1,000 or 1 000; no decimals)
err-sheet-empty = the first sheet is empty — a header row is required
reason-milestone = { $label } on { $date }
reason-milestone-mission = { $label } on { $date } ({ $mission })
reason-readiness-raised = readiness raised from { $from } to { $to }
reason-status-raised = status raised from { $from } to { $to }
# What a 404 names (the store's words for what it did not find) and why a 409 refused.
err-not-found = { $what } does not exist
err-missing-pledge = pledge { $id }
err-missing-milestone = milestone { $id }
err-missing-milestone-of-pledge = milestone { $id } of pledge { $pledge }
err-missing-token = token { $id }
err-missing-mission = mission { $mission }
err-missing-conference = conference { $conference }
err-missing-requirement = requirement { $id }
err-no-such-address = there is no page or endpoint at { $path }
err-nothing-here = there is nothing at this address
err-milestone-not-on-timeline = milestone { $milestone } is not on pledge { $pledge }'s timeline (deleted already?)
err-conflict-pledge-ref = { $state } already has a pledge with reference '{ $reference }'
err-conflict-milestone = this pledge already has a '{ $label }' milestone
err-conflict-mission = mission { $mission } already exists
err-conflict-conference = conference { $conference } already exists
err-conflict-requirement = { $mission } already has a requirement for { $capability }; change that one instead
err-conflict-second-successor = another pledge was just recorded as re-announcing the same earlier pledge, and a pledge is re-announced only once; nothing was saved: reload to see which, and supersede that one instead
err-conflict-changed-meanwhile = a pledge in the file was changed by someone else while the file was being imported; nothing was imported: import the file again
err-conflict-next-reference = two planners took the next reference at once: save again
