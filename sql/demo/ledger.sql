-- Demo data: a year of invoices, payments, credits and the odd refund for
-- most demo clients, posted through ledger_append() in date order, so that
-- every balance equals its ledger (clientd check-ledger says 0). Amounts
-- and dates derive from the client's number: every run gives the same
-- ledger, relative to today.

DO $$
DECLARE
	c clients%ROWTYPE;
	i int;
	m int;
	inv numeric;
	paid numeric;
	t timestamptz;
	start timestamptz := date_trunc('day', now()) - interval '360 days';
BEGIN
	FOR c IN SELECT * FROM clients WHERE company_id = app_company_id()
	    AND deleted_at IS NULL ORDER BY number LOOP
		i := c.number::int;
		CONTINUE WHEN i % 5 = 0;	-- some clients have no ledger
		IF i % 7 = 0 THEN
			PERFORM ledger_append(c, 'opening_balance', 250 + i, 0,
			    'Opening balance', 'Carried over from the previous system.',
			    start, NULL);
			SELECT * INTO c FROM clients WHERE id = c.id;
		END IF;
		FOR m IN 0 .. 11 LOOP
			CONTINUE WHEN (i + m) % 3 = 0;
			t := start + make_interval(days => m * 30 + i % 9);
			inv := 80 + (i * 37 + m * 53) % 900 + ((i + m) % 4) * 0.25;
			PERFORM ledger_append(c, 'invoice', inv, 0,
			    'Invoice ' || lpad((i * 12 + m)::text, 5, '0'), '', t, NULL);
			SELECT * INTO c FROM clients WHERE id = c.id;
			CONTINUE WHEN m = 11 OR (i + m) % 4 = 1;
			paid := CASE WHEN (i + m) % 5 = 2 THEN round(inv / 2, 2) ELSE inv END;
			PERFORM ledger_append(c, 'payment', -paid, paid,
			    'Payment ' || CASE (i + m) % 3 WHEN 0 THEN 'by bank transfer'
				WHEN 1 THEN 'by card' ELSE 'by PayPal' END, '',
			    t + make_interval(days => 5 + (i + m) % 20), NULL);
			SELECT * INTO c FROM clients WHERE id = c.id;
			IF (i + m) % 17 = 0 THEN
				PERFORM ledger_append(c, 'credit', -15, 0, 'Credit note',
				    'Goodwill credit for a late delivery.',
				    t + interval '26 days', NULL);
				SELECT * INTO c FROM clients WHERE id = c.id;
			END IF;
			IF (i + m) % 29 = 0 THEN
				PERFORM ledger_append(c, 'refund', 10, -10, 'Refund',
				    'Overpayment returned.', t + interval '27 days', NULL);
				SELECT * INTO c FROM clients WHERE id = c.id;
			END IF;
		END LOOP;
	END LOOP;
END
$$;
