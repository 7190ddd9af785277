# The pledge list.
pledges-title = Pledges
pledges-filter-label = Filter the pledges
filter-any = any
filter-any-level = any level
pledges-readiness-at-least = Readiness at least
pledges-or-above = { $level } or above (firm)
pledges-filter = Filter
pledges-clear = Clear
pledges-count = { $count } pledges · page { $page } of { $pages }
pledges-this-list = This list as
pledges-follow-through = Follow-through of this conference
pledges-total = Total of the { $count } pledges matching
pledges-every-page = (every page)
pledges-paging = Pages of the list
pledges-previous = Previous page
pledges-next = Next page
col-changed = Changed
