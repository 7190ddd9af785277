# Le cadre de chaque page : titre, navigation, choix de la langue, pied de page.
site-skip = Aller au contenu
site-disclaimer = Chiffres indicatifs, tels qu'annoncés par les États Membres.
site-language = Langue
nav-board = Tableau
nav-pledges = Engagements
nav-record = Enregistrer un engagement
nav-import = Importer
nav-countries = Pays
nav-renewals = Renouvellements
nav-requirements = Besoins
nav-log-out = Se déconnecter
# Les mois, pour les dates en toutes lettres (« 6 décembre 2026 »).
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre
date-long = { $day } { $month } { $year }
site-lang-code = fr
# Le rôle à côté de l'utilisateur connecté.
role-admin = administrateur
role-planner = planificateur
role-delegate = délégué
role-viewer = lecteur
