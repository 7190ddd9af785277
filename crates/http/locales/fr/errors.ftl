# Pages d'erreur et page de connexion.
error-back = Retour au tableau
# Titres des pages d'erreur, par type de problème (le `title` des problèmes de l'API reste en anglais).
error-title-bad-request = Requête incorrecte
error-title-unauthorized = Jeton requis
error-title-forbidden = Non autorisé
error-title-stale = Modifié par quelqu'un d'autre
error-title-too-large = Requête trop volumineuse
error-title-unsupported-media-type = Type de contenu non pris en charge
error-title-method-not-allowed = Méthode non autorisée
error-title-uri-too-long = Adresse trop longue
error-title-timeout = Requête trop lente
error-title-error = Erreur
error-title-not-found = Introuvable
error-title-conflict = Existe déjà
error-title-invalid = Données non valides
error-title-too-many-attempts = Trop de tentatives échouées
error-title-unavailable = Service indisponible
error-title-busy = Occupé, réessayez
error-title-internal = Erreur interne
error-one-field = 1 champ n'est pas valide
error-fields = { $count } champs ne sont pas valides
login-title = Se connecter
login-token = Votre jeton
login-hint-before = Les jetons sont créés par
login-hint-after =  ; demandez-en un au secrétariat.
login-wrong-origin = Ce formulaire doit être envoyé depuis la page de connexion de Pledgeboard.
login-unknown-token = Ce jeton est inconnu ou a été révoqué. Vérifiez-le ou demandez-en un nouveau.
