# La feuille « À propos » de chaque classeur, et les titres et règles de décompte des rapports.
workbook-report = Rapport
workbook-filters = Filtres
workbook-no-filters = aucun
workbook-as-of = À la date du
workbook-now = maintenant (à la génération)
workbook-generated = Généré le
workbook-note = Note
workbook-rule = Règle de décompte
workbook-title-coverage = Couverture des besoins des missions
workbook-title-allocation = Proposition d'affectation des engagements non affectés aux lacunes ouvertes
workbook-title-countries = Engagements par État Membre
workbook-title-country = Engagements de { $name } ({ $code })
workbook-title-renewals = Renouvellements PCRS en retard ou dus dans les 30 jours
workbook-title-pledges = Engagements (format d'importation : ce classeur se réimporte sans changement)
rule-allocation = Une proposition : les lacunes critiques d'abord, puis par date de besoin ; les engagements disponibles à temps d'abord ; aucun engagement utilisé deux fois.
rule-renewals = Un engagement est renouvelé dans le PCRS 12 mois après son enregistrement, puis tous les 6 mois après son dernier renouvellement ; il est listé lorsque cette date est passée ou tombe dans les 30 jours, la plus proche d'abord. Les engagements retirés ne sont pas listés.
