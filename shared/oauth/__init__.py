"""OAuth 2.0 authorization-code flows with PKCE, one small module per provider
(`google.py` with google-auth-oauthlib, `dropbox.py` with the Dropbox SDK's
DropboxOAuth2Flow), behind the `Provider` protocol of `base.py`."""
