// subscribe + unsubscribe churn: see ../sync.ts
import { churnSuite } from "../sync";

churnSuite();
