"""Stage 4, the chats: WhatsApp exports and MAXQDA codes in, table 5 out.

In: the groups' WhatsApp exports (Android or iOS, Dutch or English phones; see
``resources/chat/whatsapp_*.yaml``), the roster of pseudonyms, the MAXQDA
coded-segment exports, the intervention scheme (``resources/interventions.yaml``)
and the judgements. Out: pseudonymised messages and events per batch, and the
tables ``members``, ``activity``, ``codes``, ``codes_monthly`` and
``interventions`` (table 5). Imports only the core; the figures of the chats
are drawn in :mod:`buurtpreventie.report.chat_figures`.

- :mod:`.whatsapp`: reading an export into messages and events.
- :mod:`.batches`: the chats parsed by one job.
- :mod:`.tables`: a batch parsed, and the chat tables of all batches (the rules' logic).
- :mod:`.aggregate`: members and activity per group and month.
- :mod:`.coding`: reading MAXQDA exports, in several interface languages.
- :mod:`.scoring`: the eleven interventions scored per buurt.
"""
