# Messages des règles (crates/domain), par la clé que chaque règle leur donne.
err-pledge-ref-required = une référence d'engagement est requise
err-pledge-ref-too-long = la référence d'engagement « { $r } » doit compter au plus { $max } caractères imprimables
err-quantity-range = la quantité doit être un nombre entier de 1 à { $max }, et non { $n }
err-personnel-range = le personnel doit être un nombre entier de 0 à { $max }, et non { $total }
err-female-personnel-range = le personnel féminin doit être un nombre entier de 0 à { $max }, et non { $women }
err-female-over-total = le personnel féminin ({ $women }) ne peut pas dépasser le personnel ({ $total })
err-duration-range = la durée doit être de 1 à { $max } mois, et non { $n }
err-partner-is-lead = { $lead } mène cet engagement et ne peut pas en être aussi partenaire
err-partner-twice = le partenaire { $partner } figure deux fois
err-partner-shape = le partenaire « { $entry } » s'écrit ISO3:rôle, par ex. JPN:equips
err-usd-negative = un montant en USD ne peut pas être négatif
err-monthly-cost-too-large = un coût mensuel ne peut pas dépasser mille milliards de dollars des États-Unis ({ $max }) — vérifiez que le chiffre n'a pas de chiffres en trop
err-usd-shape = « { $s } » n'est pas un montant en USD — écrivez des chiffres avec au plus deux décimales après un point, sans séparateur de milliers ni symbole monétaire (par ex. 1250000.50)
err-reinstate-not-withdrawn = seul un engagement retiré peut être rétabli ; celui-ci est { $status }
err-reinstate-no-history = cet engagement n'a pas d'historique à rétablir
err-reinstate-to-active = un engagement rétabli revient à pledged, verified ou deployed
err-status-unknown = le statut « { $s } » n'est pas l'un de pledged, verified, deployed, withdrawn
err-member-state-code = « { $text } » n'est pas un code ISO 3166-1 alpha-3 (trois lettres, par ex. PAK)
err-capability-code = « { $text } » n'est pas un code de capacité (lettres, chiffres et traits d'union, par ex. INF-BN)
err-mission-acronym = « { $text } » n'est pas un sigle de mission (lettres seulement, par ex. MINUSCA)
err-conference-code = « { $text } » n'est pas un code de conférence (par ex. ISB-2023)
err-conference-dates = la conférence { $code } se termine ({ $ends_on }) avant de commencer ({ $starts_on })
err-word-not-one-of =
    { $what ->
        [category] la catégorie
        [priority] la priorité
        [role] le rôle
        [lease] le bail
        [milestone-kind] le type de jalon
        [partner-role] le rôle de partenaire
        [unit-of-measure] l'unité
        [gender-category] la catégorie de parité
        [stage] l'étape
        [lineage-class] la filiation
       *[other] { $what }
    } « { $s } » n'est pas l'un de { $words }
err-readiness-unknown = le niveau de préparation « { $s } » n'est pas un niveau PCRS — utilisez L1, L2, L3 ou RDL
err-gender-target-range = un objectif de parité de { $percent } % n'est pas un pourcentage entre 0 et 100
err-delegate-needs-state = un jeton de délégué doit nommer son État Membre
err-state-only-for-delegates = seuls les jetons de délégué sont liés à un État Membre, pas les jetons { $role }
err-unknown-member-state = État Membre inconnu « { $input } »
err-unknown-member-state-suggest = État Membre inconnu « { $input } » — vouliez-vous dire { $suggestion } ?
err-unknown-code = { $kind ->
        [capability] capacité inconnue
        [mission] mission inconnue
        [conference] conférence inconnue
       *[other] { $kind } inconnu
    } « { $input } »
err-unknown-code-suggest = { $kind ->
        [capability] capacité inconnue
        [mission] mission inconnue
        [conference] conférence inconnue
       *[other] { $kind } inconnu
    } « { $input } » — vouliez-vous dire { $suggestion } ?
err-forbidden-transition = un engagement { $from } ne peut pas devenir { $to } ; possible : { $allowed }
err-date-shape = « { $text } » n'est pas une date écrite AAAA-MM-JJ (par ex. 2025-04-15)
err-text-too-long = { $field } doit compter au plus { $max } caractères
err-member-state-required = un État Membre est requis
err-capability-required = une capacité est requise
err-quantity-required = une quantité est requise
err-renewed-before-registered = un engagement ne peut pas être renouvelé ({ $ren }) avant d'avoir été enregistré ({ $reg })
err-equipment-required = { $part ->
        [category] une catégorie d'équipement est requise
       *[description] une description d'équipement est requise
    }
err-equipment-too-long = { $part ->
        [category] une catégorie d'équipement
       *[description] une description d'équipement
    } doit compter au plus { $max } caractères
err-estimate-too-large = le personnel n'a pas été indiqué et son estimation ({ $quantity } × { $size } pour { $capability }) dépasse { $max } : indiquez le personnel
err-estimate-described = { $estimate } = { $quantity } × { $size } pour { $capability }
err-estimate-mismatch = le personnel { $total } est marqué comme estimé, mais l'estimation est { $estimate } : laissez le personnel vide pour l'estimer, ou mettez personnel_estimated à false pour déclarer { $total }
err-women-over-estimate = le personnel féminin ({ $women }) ne peut pas dépasser le personnel estimé ({ $estimate }) : indiquez le personnel
err-estimated-flag = personnel_estimated « { $other } » doit valoir true ou false
err-flag = « { $other } » doit valoir true ou false
err-supersedes-shape = « { $text } » doit désigner l'engagement antérieur sous la forme ÉTAT:RÉFÉRENCE, par ex. PAK:ISB-2023-04
err-supersedes-other-state = { $target } est un engagement de { $other } ; un engagement de { $own } ne peut remplacer qu'un engagement de { $own }
err-supersedes-itself = un engagement ne peut pas se remplacer lui-même ({ $target })
err-supersedes-missing = il n'existe pas d'engagement { $target } à remplacer
err-supersedes-twice = { $target } est déjà remplacé par { $other } ; un engagement n'est réannoncé qu'une fois — remplacez plutôt { $other }
err-supersedes-loop = { $pledge } précède déjà { $target } dans sa filiation ; le remplacer créerait une boucle
err-milestone-kind-required = choisissez le jalon atteint
err-milestone-date-required = indiquez la date à laquelle le jalon a été atteint, au format AAAA-MM-JJ
err-milestone-mission-required = une sélection nomme la mission pour laquelle l'engagement a été retenu
err-milestone-mission-only-selection = seule une sélection nomme une mission ; laissez-la vide pour « { $label } »
err-milestone-withdrawn = cet engagement est retiré et ne prend aucun jalon ; un administrateur peut d'abord le rétablir
err-milestone-future = { $date } est dans le futur : ce jour n'est encore arrivé nulle part ; un jalon consigne ce qui s'est produit
err-milestone-twice = cet engagement a déjà « { $label } » le { $date } ; un administrateur peut supprimer ce jalon pour l'enregistrer à nouveau
err-milestone-before-earlier = « { $label } » ne peut pas être daté du { $date } : « { $other } », une étape antérieure, est daté du { $on } ; datez-le du { $on } ou après
err-milestone-after-later = « { $label } » ne peut pas être daté du { $date } : « { $other } », une étape ultérieure, est daté du { $on } ; datez-le du { $on } ou avant
err-milestone-note-too-long = la note compte { $chars } caractères ; au plus { $max } sont conservés
err-milestone-source-too-long = la référence de la source compte { $chars } caractères ; au plus { $max } sont conservés
err-milestone-cell-not-date = { $label } : { $error }
err-milestone-cell-other-date = cet engagement a « { $label } » le { $on }, et non le { $date } ; un administrateur peut supprimer ce jalon sur la page de l'engagement pour l'enregistrer à nouveau
err-milestone-cell-no-mission = une sélection nomme la mission pour laquelle l'engagement a été retenu : indiquez la mission de la ligne
err-pledge-twice-in-file = l'engagement { $reference } de { $state } figure deux fois dans ce fichier
err-viewer-may-not-record = un lecteur peut consulter les engagements mais pas les enregistrer
err-delegate-own-state = un délégué de { $own } ne peut enregistrer que les engagements de { $own }, pas ceux de { $state }
err-delegate-no-state = ce jeton de délégué ne nomme aucun État Membre
err-viewer-no-milestones = un lecteur peut consulter les jalons mais pas les enregistrer
err-admin-only = seul un administrateur peut faire cela ; ce jeton est un jeton { $role }
err-change-member-state = un engagement reste attaché à son État Membre ({ $state }) ; retirez-le et enregistrez-en un nouveau
err-change-pledge-ref = la référence { $reference } identifie cet engagement et ne peut pas changer
err-reinstate-status-only = un rétablissement ne change que le statut
err-not-whole-number = { $column ->
        [quantity] la quantité
        [personnel] le personnel
        [female_personnel] le personnel féminin
        [duration_months] la durée en mois
        [needed_by] la date de besoin
       *[other] { $what }
    } « { $value } » n'est pas un nombre entier
err-column-missing = la colonne obligatoire « { $required } » manque
err-column-unknown = colonne inconnue « { $raw } » — les colonnes sont : { $known }
err-columns-unknown-more = … et { $more } autres colonnes inconnues ({ $all } en tout)
err-column-twice = la colonne « { $name } » figure deux fois
err-column-unnamed = la colonne { $n } n'a pas de nom
err-requirement-twice = { $mission } demande { $capability } deux fois dans ce fichier
err-requirement-not-capacity = { $code } est un engagement de type { $category }, pas une capacité qu'une mission peut demander
err-stalled-days = stalled_days « { $text } » n'est pas un nombre de jours de 1 à { $max }
err-as-of-format = as_of « { $text } » n'est ni un horodatage comme 2025-04-15T09:30:00Z ni une date comme 2025-04-15
err-as-of-future = as_of « { $text } » est dans l'avenir : un rapport montre le tableau tel qu'il était à un moment déjà passé (omettez as_of pour le tableau tel qu'il est maintenant)
err-param-range = { $field } doit être un nombre entier de { $min } à { $max }
err-cursor = ce curseur n'a pas été donné par une page précédente
err-timestamp-format = écrivez un horodatage comme 2025-04-15T09:30:00Z
err-sort-unknown = impossible de trier par « { $other } » ; triez par l'une de { $columns }
err-too-many-columns = la ligne d'en-tête a { $columns } colonnes, mais un fichier peut en avoir au plus { $max } (le format des engagements en a 18) — supprimez les colonnes en trop et enregistrez à nouveau
err-xlsx-why-sheet = une feuille de 1 000 000 engagements se décompresse en environ 477 Mo
err-xlsx-why-shared-strings = les textes partagés de 1 000 000 engagements se décompressent en environ 28 Mo
err-xlsx-why-other = une telle partie d'un classeur d'engagements fait quelques kilo-octets
err-xlsx-damaged = ce classeur .xlsx est endommagé : sa partie { $path } ne peut pas être décompressée ({ $reason })
err-xlsx-part-too-large = la partie { $path } de ce classeur .xlsx se décompresse en plus de { $max } octets, le maximum permis ({ $why }) — enregistrez les engagements seuls dans un nouveau classeur, ou en CSV
err-xlsx-part-declared-too-large = la partie { $path } de ce classeur .xlsx se décompresse en plus de { $max } octets (son en-tête en annonce { $declared }), le maximum permis ({ $why }) — enregistrez les engagements seuls dans un nouveau classeur, ou en CSV
err-xlsx-workbook-too-large = ce classeur .xlsx se décompresse en plus de { $max } octets au total — enregistrez les engagements seuls dans un nouveau classeur, ou en CSV
err-xlsx-too-many-parts = ce classeur .xlsx a { $parts } parties, mais un classeur peut en avoir au plus { $max } — enregistrez les engagements seuls dans un nouveau classeur, ou en CSV
err-xlsx-run-too-long = la partie { $path } de ce classeur .xlsx contient un texte ou une balise de plus de { $max } octets, bien plus que n'en demande une cellule d'une feuille d'engagements
err-xlsx-busy = le classeur ne peut pas être lu pour l'instant : { $reason }
err-xlsx-rows-out-of-order = les lignes de la feuille sont dans le désordre (la ligne { $row } vient après la ligne { $previous }) — ouvrez-la dans un tableur et enregistrez-la à nouveau
err-xlsx-unreadable = ce fichier n'est pas un classeur .xlsx lisible : { $reason }
err-xlsx-no-sheet = le classeur n'a aucune feuille
err-xlsx-sheet-unreadable = la première feuille ne peut pas être lue : { $reason }
err-xlsx-sheet-stopped = la première feuille ne peut pas être lue
err-xlsx-sheet-cut-short = la feuille n'a pas pu être lue jusqu'au bout
err-header-too-long = la ligne d'en-tête dépasse { $bytes } octets, alors que { $max } noms de colonnes y tiennent — est-ce bien un fichier d'engagements, avec une seule ligne d'en-tête ?
err-record-too-long = la ligne commençant à la ligne { $line } dépasse { $bytes } octets, plus que n'en demande une ligne d'engagement — souvent un guillemet (") jamais refermé fait du reste du fichier une seule cellule ; rien n'a été lu après
err-cell-too-long = cette cellule contient { $bytes } octets, mais une cellule peut en contenir au plus { $max } (une note ou une réserve compte au plus 2 000 caractères)
err-row-too-long = cette ligne contient { $bytes } octets de texte, mais une ligne peut en contenir au plus { $max }
err-too-many-rows = le fichier a plus de { $rows } lignes, le maximum d'une importation — répartissez-le en plusieurs fichiers ; rien n'a été lu après la ligne { $line }
err-row-too-wide = cette ligne a { $cells } cellules mais l'en-tête en a { $width }
err-file-empty = le fichier est vide — une ligne d'en-tête est requise
err-not-whole-number-grouped = { $column ->
        [quantity] la quantité
        [personnel] le personnel
        [female_personnel] le personnel féminin
        [duration_months] la durée en mois
       *[other] { $what }
    } « { $value } » n'est pas un nombre entier (les milliers s'écrivent 1,000 ou 1 000 ; pas de décimales)
err-sheet-empty = la première feuille est vide — une ligne d'en-tête est requise
reason-milestone = { $label } le { $date }
reason-milestone-mission = { $label } le { $date } ({ $mission })
reason-readiness-raised = niveau de préparation relevé de { $from } à { $to }
reason-status-raised = statut relevé de { $from } à { $to }
# Ce qu'une réponse 404 nomme (les mots du stockage pour ce qu'il n'a pas trouvé) et pourquoi une 409 refuse.
err-not-found = { $what } n'existe pas
err-missing-pledge = l'engagement { $id }
err-missing-milestone = le jalon { $id }
err-missing-milestone-of-pledge = le jalon { $id } de l'engagement { $pledge }
err-missing-token = le jeton { $id }
err-missing-mission = la mission { $mission }
err-missing-conference = la conférence { $conference }
err-missing-requirement = le besoin { $id }
err-no-such-address = il n'y a ni page ni point d'accès à l'adresse { $path }
err-nothing-here = il n'y a rien à cette adresse
err-milestone-not-on-timeline = le jalon { $milestone } ne figure pas dans la chronologie de l'engagement { $pledge } (déjà supprimé ?)
err-conflict-pledge-ref = { $state } a déjà un engagement de référence « { $reference } »
err-conflict-milestone = cet engagement a déjà un jalon « { $label } »
err-conflict-mission = la mission { $mission } existe déjà
err-conflict-conference = la conférence { $conference } existe déjà
err-conflict-requirement = { $mission } a déjà un besoin pour { $capability } ; modifiez plutôt celui-là
err-conflict-second-successor = un autre engagement vient d'être enregistré comme réannonce du même engagement antérieur, et un engagement n'est réannoncé qu'une fois ; rien n'a été enregistré : rechargez la page pour voir lequel, et remplacez plutôt celui-là
err-conflict-changed-meanwhile = un engagement du fichier a été modifié par quelqu'un d'autre pendant l'importation ; rien n'a été importé : importez de nouveau le fichier
err-conflict-next-reference = deux planificateurs ont pris la référence suivante au même moment : enregistrez de nouveau
