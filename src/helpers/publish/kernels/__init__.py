"""The ``warm-fork`` papermill engine, walled in: kernels forked from one template per render
(``template`` the handle, ``zygote`` the template process, ``fork`` the papermill/jupyter_client
classes, ``engine`` which engine runs and its registration in papermill's registry). A speed
trick with a simple fallback: a fresh papermill kernel (``nbclient``) whenever it cannot be used.

May import: the standard library, and from ``helpers`` only the foundation and
``helpers.publish.hygiene``.
"""
