# Capacités et catégories d'engagement.

capability-INF-BN = Bataillon d'infanterie
capability-INF-COY = Compagnie d'infanterie
capability-QRF-COY = Compagnie de réaction rapide
capability-SF-COY = Compagnie de forces spéciales
capability-RECCE-COY = Compagnie de reconnaissance
capability-MP-COY = Compagnie de police militaire
capability-ENG-COY = Compagnie du génie
capability-EOD-COY = Compagnie de neutralisation des explosifs et munitions (lutte contre les EEI)
capability-SIG-COY = Compagnie de transmissions
capability-LOG-COY = Compagnie logistique
capability-TPT-COY = Compagnie de transport
capability-HOSP-L1 = Hôpital de niveau 1
capability-HOSP-L2 = Hôpital de niveau 2
capability-HOSP-L3 = Hôpital de niveau 3
capability-HEL-UTIL = Unité d'hélicoptères de manœuvre
capability-HEL-ATK = Unité d'hélicoptères d'attaque
capability-AIR-TPT = Unité de transport aérien à voilure fixe
capability-UAS-UNIT = Unité de systèmes aériens sans pilote (renseignement, surveillance et reconnaissance)
capability-RIV-UNIT = Unité fluviale
capability-FPU = Unité de police constituée
capability-IPO = Policiers hors unités constituées
capability-SPT = Équipe de police spécialisée
capability-SO = Officiers d'état-major
capability-MILOB = Observateurs militaires
capability-EQ-APC = Véhicule blindé de transport de troupes
capability-EQ-TRUCK = Camion de transport de marchandises
capability-EQ-GEN = Groupe électrogène
capability-EQ-AMB = Ambulance de campagne
capability-EQ-WATER = Unité de purification d'eau
capability-TRN-MTT = Équipe mobile de formation
capability-TRN-PLACES = Places de formation
capability-TECH-CAMP-SEC = Ensemble technologique de sécurité des camps
capability-TECH-DIGITAL = Transformation numérique et appui aux données
capability-TECH-RENEW = Solutions d'énergie renouvelable pour les camps
capability-WPS-ENGAGE = Section ou équipe d'engagement
capability-WPS-TRAINING = Formation des femmes Casques bleus
capability-WPS-PARITY = Engagement à atteindre les objectifs de parité
capability-SS-CASEVAC = Capacité d'évacuation sanitaire des blessés
capability-SS-CIED-TRAINING = Appui à la formation à la lutte contre les engins explosifs improvisés
capability-SS-MEDTRAIN = Formation médicale de terrain et aux premiers secours
capability-CD-SEA = Prévention de l'exploitation et des atteintes sexuelles
capability-CD-TRUST-FUND = Contribution au Fonds d'affectation spéciale en faveur des victimes d'exploitation et d'atteintes sexuelles

category-unit = Unités militaires
category-police = Unités de police constituées
category-individuals = Personnel individuel
category-equipment = Équipement
category-training = Formation
category-technology = Technologie
category-wps = Femmes, paix et sécurité
category-safety_security = Sûreté et sécurité
category-conduct = Déontologie et discipline

# Conférences des données de référence ; une conférence ajoutée ensuite garde son nom.
conference-ISB-2023 = Réunion préparatoire d'Islamabad sur la sûreté et la sécurité des Casques bleus
conference-ACC-2023 = Réunion ministérielle des Nations Unies sur le maintien de la paix 2023 (Accra)
conference-ISB-2025 = Réunion préparatoire d'Islamabad : vers un maintien de la paix plus sûr et plus efficace
conference-BER-2025 = Réunion ministérielle des Nations Unies sur le maintien de la paix 2025 (Berlin)

# Missions des données de référence ; une mission ajoutée ensuite garde son nom.
mission-MINURSO = Mission des Nations Unies pour l'organisation d'un référendum au Sahara occidental
mission-MINUSCA = Mission multidimensionnelle intégrée des Nations Unies pour la stabilisation en République centrafricaine
mission-MONUSCO = Mission de l'Organisation des Nations Unies pour la stabilisation en République démocratique du Congo
mission-UNDOF = Force des Nations Unies chargée d'observer le désengagement
mission-UNFICYP = Force des Nations Unies chargée du maintien de la paix à Chypre
mission-UNIFIL = Force intérimaire des Nations Unies au Liban
mission-UNISFA = Force intérimaire de sécurité des Nations Unies pour Abyei
mission-UNMIK = Mission d'administration intérimaire des Nations Unies au Kosovo
mission-UNMISS = Mission des Nations Unies au Soudan du Sud
mission-UNMOGIP = Groupe d'observateurs militaires des Nations Unies dans l'Inde et le Pakistan
mission-UNTSO = Organisme des Nations Unies chargé de la surveillance de la trêve
