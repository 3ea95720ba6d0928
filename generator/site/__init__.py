"""Stage 3, site model: articles become what templates read, read-only from here on.

``article_page`` builds one article's page model (notes, threads), ``site_model`` the
summaries every listing is made from, ``listing`` the claims pages and pagination, ``media``
the images a page references.
"""
