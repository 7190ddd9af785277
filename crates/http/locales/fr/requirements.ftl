# Besoins des missions : la liste, et le formulaire des administrateurs.
req-heading = Besoins des missions
req-saved = Enregistré.
req-edit-heading = Modifier le besoin { $count }
req-add-heading = Ajouter un besoin
req-not-saved = Non enregistré :
req-save = Enregistrer le besoin
req-cancel = Annuler
req-edit = Modifier
req-legend = « Annoncé » compte les engagements actifs de la capacité réservés à la mission ; une date de besoin dépassée alors que le besoin reste ouvert est marquée « échu ».
req-field-mission = Mission
req-field-capability = Capacité
req-field-quantity = Quantité requise
req-field-personnel = Effectifs
req-field-needed-by = Date requise
req-field-priority = Priorité
req-not-a-number = « { $count } » n'est pas un nombre entier
req-changed-meanwhile = un autre administrateur a modifié ce besoin pendant que vous le modifiiez : ouvrez-le à nouveau
