# Mission requirements: the list, and the administrators' form.
req-heading = Mission requirements
req-saved = Saved.
req-edit-heading = Edit requirement { $count }
req-add-heading = Add a requirement
req-not-saved = Not saved:
req-save = Save requirement
req-cancel = Cancel
req-edit = Edit
req-legend = Pledged counts the active pledges of the capability earmarked for the mission; a needed-by date gone by while the requirement is still open is marked "past".
req-field-mission = Mission
req-field-capability = Capability
req-field-quantity = Quantity required
req-field-personnel = Personnel
req-field-needed-by = Needed by
req-field-priority = Priority
req-not-a-number = '{ $count }' is not a whole number
req-changed-meanwhile = another administrator changed this requirement while you were editing: open it again
