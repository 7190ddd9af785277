# Error pages and the login page.
error-back = Back to the board
# Titles of the error pages, by problem type (the API's problem `title` stays English).
error-title-bad-request = Bad request
error-title-unauthorized = Token required
error-title-forbidden = Not allowed
error-title-stale = Changed by someone else
error-title-too-large = Request too large
error-title-unsupported-media-type = Unsupported media type
error-title-method-not-allowed = Method not allowed
error-title-uri-too-long = Address too long
error-title-timeout = Request too slow
error-title-error = Error
error-title-not-found = Not found
error-title-conflict = Already exists
error-title-invalid = Invalid data
error-title-too-many-attempts = Too many failed attempts
error-title-unavailable = Service unavailable
error-title-busy = Busy, try again
error-title-internal = Internal error
error-one-field = 1 field is invalid
error-fields = { $count } fields are invalid
login-title = Log in
login-token = Your token
login-hint-before = Tokens come from
login-hint-after = ; ask the secretariat for one.
login-wrong-origin = This form must be sent from Pledgeboard's own login page.
login-unknown-token = That token is unknown or has been revoked. Check it, or ask for a new one.
