-- Embedded mode: the origins a merchant lets show its checkout in a frame and hear its
-- events (`?embedded=true&embed_origin=...`), a JSON array of origins such as
-- "https://shop.example". Empty: none but, in test mode, http://localhost and
-- http://127.0.0.1 on any port.
ALTER TABLE merchants ADD COLUMN embed_origins TEXT NOT NULL DEFAULT '[]';
