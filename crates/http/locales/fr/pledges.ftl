# La liste des engagements.
pledges-title = Engagements
pledges-filter-label = Filtrer les engagements
filter-any = tous
filter-any-level = tout niveau
pledges-readiness-at-least = Niveau de préparation minimal
pledges-or-above = { $level } ou plus (ferme)
pledges-filter = Filtrer
pledges-clear = Effacer
pledges-count = { $count } engagements · page { $page } sur { $pages }
pledges-this-list = Cette liste en
pledges-follow-through = Suivi de cette conférence
pledges-total = Total des { $count } engagements correspondants
pledges-every-page = (toutes les pages)
pledges-paging = Pages de la liste
pledges-previous = Page précédente
pledges-next = Page suivante
col-changed = Modifié
