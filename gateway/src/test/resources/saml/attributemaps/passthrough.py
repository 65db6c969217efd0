"""No attribute conversion: names reach the SP exactly as the job gives them."""
MAP = {"identifier": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri", "fro": {}, "to": {}}
