# Capabilities and pledge categories. English capability names are the catalog's own
# (fixtures/capabilities.csv); these keys give the French ones and keep both files alike.

capability-INF-BN = Infantry battalion
capability-INF-COY = Infantry company
capability-QRF-COY = Quick reaction force company
capability-SF-COY = Special forces company
capability-RECCE-COY = Reconnaissance company
capability-MP-COY = Military police company
capability-ENG-COY = Engineering company
capability-EOD-COY = Explosive ordnance disposal company (C-IED)
capability-SIG-COY = Signals company
capability-LOG-COY = Logistics company
capability-TPT-COY = Transport company
capability-HOSP-L1 = Level 1 hospital
capability-HOSP-L2 = Level 2 hospital
capability-HOSP-L3 = Level 3 hospital
capability-HEL-UTIL = Utility helicopter unit
capability-HEL-ATK = Attack helicopter unit
capability-AIR-TPT = Fixed-wing air transport unit
capability-UAS-UNIT = Unmanned aerial systems (ISR) unit
capability-RIV-UNIT = Riverine unit
capability-FPU = Formed police unit
capability-IPO = Individual police officers
capability-SPT = Specialised police team
capability-SO = Staff officers
capability-MILOB = Military observers
capability-EQ-APC = Armoured personnel carrier
capability-EQ-TRUCK = Cargo truck
capability-EQ-GEN = Power generator set
capability-EQ-AMB = Field ambulance
capability-EQ-WATER = Water purification unit
capability-TRN-MTT = Mobile training team
capability-TRN-PLACES = Training course places
capability-TECH-CAMP-SEC = Camp security technology package
capability-TECH-DIGITAL = Digital transformation and data support
capability-TECH-RENEW = Renewable energy solutions for camps
capability-WPS-ENGAGE = Engagement platoon or team
capability-WPS-TRAINING = Training for women peacekeepers
capability-WPS-PARITY = Commitment to meet gender parity targets
capability-SS-CASEVAC = Casualty evacuation capacity
capability-SS-CIED-TRAINING = Counter-IED training support
capability-SS-MEDTRAIN = Field medical and first-aid training
capability-CD-SEA = Prevention of sexual exploitation and abuse
capability-CD-TRUST-FUND = Contribution to the Trust Fund for Victims of SEA

category-unit = Military units
category-police = Formed police units
category-individuals = Individual personnel
category-equipment = Equipment
category-training = Training
category-technology = Technology
category-wps = Women, peace and security
category-safety_security = Safety and security
category-conduct = Conduct and discipline

# Conferences of the reference data; a conference added later is shown by its own name.
conference-ISB-2023 = Islamabad preparatory meeting on the safety and security of peacekeepers
conference-ACC-2023 = United Nations Peacekeeping Ministerial 2023 (Accra)
conference-ISB-2025 = Islamabad preparatory meeting: towards a safer and more effective peacekeeping
conference-BER-2025 = United Nations Peacekeeping Ministerial 2025 (Berlin)
