# The frame of every page: title, navigation, language switch, footer.
site-skip = Skip to content
site-disclaimer = Figures are indicative, as pledged by member states.
site-language = Language
nav-board = Board
nav-pledges = Pledges
nav-record = Record a pledge
nav-import = Import
nav-countries = Countries
nav-renewals = Renewals
nav-requirements = Requirements
nav-log-out = Log out
# Months, for dates written out ("6 December 2026").
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
date-long = { $day } { $month } { $year }
site-lang-code = en
# The role beside the signed-in user.
role-admin = admin
role-planner = planner
role-delegate = delegate
role-viewer = viewer
